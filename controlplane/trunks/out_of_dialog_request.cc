#include "controlplane/trunks/out_of_dialog_request.h"

#include "sip/auth/digest_hash.h"

namespace trunkgate::cp {

sip::SipMessage make_out_of_dialog_request(const OutOfDialogHeaders& headers) {
  sip::SipMessage request = sip::SipMessage::make_request(headers.method, headers.request_uri);
  request.add_header(sip::HeaderId::kFrom, "<" + std::string(headers.from_uri) +
                                               ">;tag=" + std::string(headers.from_tag));
  request.add_header(sip::HeaderId::kTo, "<" + std::string(headers.to_uri) + ">");
  request.add_header(sip::HeaderId::kCallId, headers.call_id);
  request.add_header(sip::HeaderId::kCSeq,
                     std::to_string(headers.cseq) + " " + std::string(headers.method));
  request.add_header(sip::HeaderId::kMaxForwards, "70");
  return request;
}

std::string host_port(std::string_view host, uint16_t port) {
  std::string text;
  const bool bare_ipv6 = host.find(':') != std::string_view::npos && host.front() != '[';
  text += bare_ipv6 ? "[" + std::string(host) + "]" : std::string(host);
  if (port != 0) text += ":" + std::to_string(port);
  return text;
}

std::string contact_uri(std::string_view local_hostport, const sip::TransportTarget& target,
                        std::string_view extra_params) {
  std::string uri = "sip:" + std::string(local_hostport);
  if (target.protocol == sip::TransportProtocol::kTcp) uri += ";transport=tcp";
  if (target.protocol == sip::TransportProtocol::kTls) uri += ";transport=tls";
  uri += extra_params;
  return uri;
}

std::string random_token() {
  return sip::RandomHex(16);
}

}  // namespace trunkgate::cp
