// The 400 Bad Request a server owes a request it could not parse (RFC 3261 8.2 and 21.4.1), with
// the precise reason in its reason phrase and a Warning header. Built from the raw bytes, since no
// SipMessage exists: only when they still show a request line and the headers every response
// needs (Via, From, To, Call-ID, CSeq), copied verbatim after a bounded, strict scan so nothing
// hostile is reflected. Never for responses or ACKs (RFC 3261 17.2: no response to ACK).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sip/message/error.h"

namespace trunkgate::sip {

std::optional<std::string> MakeBadRequestResponse(std::string_view bytes,
                                                  const ParseFailure& failure,
                                                  std::string_view agent_host);

}  // namespace trunkgate::sip
