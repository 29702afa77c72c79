// The pieces the gateway's own out-of-dialog requests (OPTIONS keepalive, REGISTER) share: the
// headers RFC 3261 8.1.1 requires of a new request, and the URIs built from configured hosts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message/message.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::cp {

struct OutOfDialogHeaders {
  std::string_view method;
  std::string_view request_uri;
  std::string_view from_uri;  // written in angle brackets, with ;tag=from_tag
  std::string_view from_tag;
  std::string_view to_uri;  // in angle brackets, no tag
  std::string_view call_id;
  uint32_t cseq = 1;
};

// A request with From, To, Call-ID, CSeq and Max-Forwards: 70 (the Via is the sender's).
sip::SipMessage make_out_of_dialog_request(const OutOfDialogHeaders& headers);

// "host" or "host:port"; an IPv6 literal gets brackets. Port 0 means none.
std::string host_port(std::string_view host, uint16_t port);

// The gateway's Contact URI as `target` reaches it: sip:<local_hostport>, with ;transport=tcp or
// ;transport=tls on connection transports so the peer reuses the protocol (the URI scheme stays
// sip: — SIPconnect 2.0 section 8 does not require SIPS), followed by `extra_params`.
std::string contact_uri(std::string_view local_hostport, const sip::TransportTarget& target,
                        std::string_view extra_params = {});

// Random lower-case hex for Call-IDs and tags (128 bits: unguessable, RFC 3261 8.1.1.4/19.3).
std::string random_token();

}  // namespace trunkgate::cp
