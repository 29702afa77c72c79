// Building responses and sending them back where the request came from: RFC 3261 8.2.6 and 18.2.2
// with RFC 3581 symmetric response routing (received/rport).
#pragma once

#include <string>
#include <string_view>

#include "sip/message/message.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::sip {

// The top Via rewritten with received= (when the source address differs from sent-by, or rport
// was asked for) and rport=<source port> (when present without a value).
std::string StampedVia(const Via& via, const Endpoint& source);

// Applies StampedVia() to the top Via of a received request, so that every response copies it.
// False when the request has no usable Via.
bool StampReceivedRequest(SipMessage& request, const Endpoint& source);

// A response with the request's Via headers, From, To (with `to_tag` added if To has none), Call-ID
// and CSeq.
SipMessage MakeResponse(const SipMessage& request, int status_code, std::string_view reason,
                        std::string_view to_tag = {});

// Where responses to a request received as `received` go: back on its connection for TCP/TLS;
// for UDP to the source address, at the rport if the client asked for it, else at the sent-by
// port (RFC 3261 18.2.2, RFC 3581 section 4).
TransportTarget ResponseTarget(const SipMessage& request, const ReceivedMessage& received);

}  // namespace trunkgate::sip
