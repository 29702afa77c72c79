// Headers the gateway puts on what it originates itself, the same on both legs.
#pragma once

#include <string>
#include <string_view>

#include "sip/message/message.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::cp {

inline constexpr std::string_view kAllow =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, UPDATE, INFO";
inline constexpr std::string_view kUserAgent = "trunkgate";

// A response to `request` with its Via, From, Call-ID, CSeq, To with `to_tag` when To has no tag,
// and Server.
sip::SipMessage make_local_response(const sip::SipMessage& request, int status,
                                    std::string_view reason, std::string_view to_tag);
// Allow, Accept and Supported: the answer to "what do you speak" (OPTIONS, 405).
void add_capabilities(sip::SipMessage& message);
// The gateway's Contact toward a peer reached at `hostport` over `target`'s transport.
std::string make_contact(std::string_view hostport, const sip::TransportTarget& target);

}  // namespace trunkgate::cp
