// Transaction matching (RFC 3261 17.1.3 and 17.2.3). Requests whose top Via branch carries the
// magic cookie match on branch, sent-by and method; older (RFC 2543) requests on Request-URI,
// From tag, Call-ID, CSeq and top Via. ACK maps to the INVITE it acknowledges; CANCEL keeps its
// own transaction and finds its INVITE through CancelledInviteKey().
#pragma once

#include <optional>
#include <string>

#include "sip/message/message.h"

namespace trunkgate::sip {

std::optional<std::string> ServerTransactionKey(const SipMessage& request);
// The key of the INVITE server transaction a CANCEL request targets.
std::optional<std::string> CancelledInviteKey(const SipMessage& cancel);
// Client side: the branch of the top Via and the CSeq method, from a request we send or a
// response we receive.
std::optional<std::string> ClientTransactionKey(const SipMessage& message);

}  // namespace trunkgate::sip
