#include "sip/transaction/hop_request.h"

#include <string>

namespace trunkgate::sip {

SipMessage MakeSameHopRequest(const SipMessage& invite, std::string_view method,
                              std::string_view to) {
  SipMessage request = SipMessage::make_request(method, invite.request_uri_text());
  const auto vias = invite.list(HeaderId::kVia);
  if (vias.ok() && !vias->empty()) request.add_header(HeaderId::kVia, vias->front());
  for (std::string_view route : invite.fields(HeaderId::kRoute)) {
    request.add_header(HeaderId::kRoute, route);
  }
  request.add_header(HeaderId::kMaxForwards, "70");
  request.add_header(HeaderId::kFrom, invite.find(HeaderId::kFrom).value_or(""));
  request.add_header(HeaderId::kTo, to);
  request.add_header(HeaderId::kCallId, invite.call_id());
  const auto cseq = invite.cseq();
  request.add_header(HeaderId::kCSeq,
                     std::to_string(cseq.ok() ? cseq->number : 0) + " " + std::string(method));
  return request;
}

}  // namespace trunkgate::sip
