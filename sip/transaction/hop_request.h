// Requests that travel the same hop as a sent INVITE: the ACK for a non-2xx final response
// (RFC 3261 17.1.1.3) and CANCEL (9.1). Both copy Request-URI, the top Via, Route, From, Call-ID
// and the CSeq number; they differ in method and where To comes from.
#pragma once

#include <string_view>

#include "sip/message/message.h"

namespace trunkgate::sip {

SipMessage MakeSameHopRequest(const SipMessage& invite, std::string_view method,
                              std::string_view to);

// RFC 3261 9.1: a CANCEL for a sent INVITE.
inline SipMessage MakeCancel(const SipMessage& invite) {
  return MakeSameHopRequest(invite, "CANCEL", invite.find(HeaderId::kTo).value_or(""));
}

}  // namespace trunkgate::sip
