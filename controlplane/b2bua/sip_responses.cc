#include "controlplane/b2bua/sip_responses.h"

#include "sip/transaction/response_routing.h"

namespace trunkgate::cp {

sip::SipMessage make_local_response(const sip::SipMessage& request, int status,
                                    std::string_view reason, std::string_view to_tag) {
  sip::SipMessage response = sip::MakeResponse(request, status, reason, to_tag);
  response.add_header(sip::HeaderId::kServer, kUserAgent);
  return response;
}

void add_capabilities(sip::SipMessage& message) {
  message.add_header(sip::HeaderId::kAllow, kAllow);
  message.add_header(sip::HeaderId::kAccept, "application/sdp");
  message.add_header(sip::HeaderId::kSupported, "100rel, timer");
}

std::string make_contact(std::string_view hostport, const sip::TransportTarget& target) {
  std::string contact = "<sip:trunkgate@";
  contact.append(hostport);
  if (target.protocol == sip::TransportProtocol::kTcp) contact += ";transport=tcp";
  if (target.protocol == sip::TransportProtocol::kTls) contact += ";transport=tls";
  return contact + ">";
}

}  // namespace trunkgate::cp
