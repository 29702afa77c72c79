#include "sip/transaction/response_routing.h"

#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

constexpr std::uint16_t kDefaultSipPort = 5060;

std::string_view Unbracketed(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

std::string StampedVia(const Via& via, const Endpoint& source) {
  std::string out = std::string(via.protocol_name) + "/" + std::string(via.version) + "/" +
                    std::string(via.transport) + " " + std::string(via.host);
  if (via.has_port) out += ":" + std::to_string(via.port);
  const bool wants_rport = via.rport().has_value();
  via.params.for_each([&](const Param& param) {
    if (iequals(param.name, "received")) return;  // replaced below
    out += ";";
    out += param.name;
    if (iequals(param.name, "rport")) {
      out += "=" + std::to_string(source.port());
    } else if (param.has_value) {
      out += "=";
      out += param.value;
    }
  });
  if (wants_rport || Unbracketed(via.host) != source.address())
    out += ";received=" + source.address();
  return out;
}

bool StampReceivedRequest(SipMessage& request, const Endpoint& source) {
  const auto elements = request.list(HeaderId::kVia);
  if (!elements.ok() || elements->empty()) return false;
  const auto top = parse_via(elements->front());
  if (!top.ok()) return false;
  std::vector<std::string> vias;
  vias.push_back(StampedVia(*top, source));
  for (std::size_t i = 1; i < elements->size(); ++i) vias.emplace_back((*elements)[i]);
  request.remove_headers(HeaderId::kVia);
  for (auto it = vias.rbegin(); it != vias.rend(); ++it)
    request.prepend_header(HeaderId::kVia, *it);
  return true;
}

SipMessage MakeResponse(const SipMessage& request, int status_code, std::string_view reason,
                        std::string_view to_tag) {
  SipMessage response = SipMessage::make_response(status_code, reason);
  for (std::string_view via : request.fields(HeaderId::kVia))
    response.add_header(HeaderId::kVia, via);
  response.add_header(HeaderId::kFrom, request.find(HeaderId::kFrom).value_or(""));
  std::string to(request.find(HeaderId::kTo).value_or(""));
  const auto parsed_to = request.to();
  if (!to_tag.empty() && parsed_to.ok() && parsed_to->tag().empty()) {
    to += ";tag=" + std::string(to_tag);
  }
  response.add_header(HeaderId::kTo, to);
  response.add_header(HeaderId::kCallId, request.call_id());
  response.add_header(HeaderId::kCSeq, request.find(HeaderId::kCSeq).value_or(""));
  return response;
}

TransportTarget ResponseTarget(const SipMessage& request, const ReceivedMessage& received) {
  TransportTarget target{received.protocol, received.source, received.connection, {}};
  if (target.reliable()) return target;
  const auto via = request.top_via();
  if (!via.ok() || via->rport().has_value()) return target;
  const std::uint16_t port = via->has_port ? via->port : kDefaultSipPort;
  target.endpoint = *Endpoint::Parse(received.source.address(), port);
  return target;
}

}  // namespace trunkgate::sip
