// Who is calling whom, converted between trunk styles. An INVITE arriving from a trunk is read
// once into a CallIdentity (numbers normalized by that trunk's dial plan, caller identity from
// whatever the trunk's peer sends: Remote-Party-ID, P-Asserted-Identity, P-Preferred-Identity,
// From; privacy from Privacy or RPID's privacy parameter; redirection from Diversion or
// History-Info). The outgoing INVITE gets the identity written the way the other trunk wants it
// (Remote-Party-ID for CUCM and 8x8, P-Asserted-Identity + Privacy for SIPconnect; Diversion or
// History-Info), with the numbers formatted by that trunk's dial plan.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controlplane/config/trunk.h"
#include "controlplane/routing/number.h"
#include "sip/message/message.h"

namespace trunkgate::cp {

struct Redirection {   // one diversion/retarget step, oldest first
  std::string number;  // E.164 with '+' when it normalizes, else the user part as received
  std::string reason;  // an RFC 5806 Diversion reason ("unconditional", "user-busy", "no-answer",
                       // "deflection", "unavailable", "unknown" ...); History-Info causes are
                       // mapped to it by RFC 4458 section 3.5 (see redirection.h)
};

struct CallIdentity {
  Number called;                // normalized: routing uses it
  std::string calling;          // E.164 with '+' when it normalizes, else the unescaped user
                                // part as received; empty when unknown or only anonymous
  std::string calling_display;  // cleaned display name (<= 64 bytes), empty if none or
                                // restricted (RPID privacy=name, "Anonymous")
  bool anonymous = false;       // Privacy: id / header / user, RPID privacy=full/uri, or an
                                // anonymous From (sip:anonymous@anonymous.invalid)
  bool screened = false;        // identity asserted by the peer (PAI, or RPID screen=yes)
  std::vector<Redirection> redirections;
};

enum class IdentityError {
  kNone,
  kCalledMissing,  // no user part in the Request-URI (or tel: number)
  kCalledInvalid,  // does not normalize under the trunk's dial plan
};

struct IdentityResult {
  std::optional<CallIdentity> identity;
  IdentityError error = IdentityError::kNone;
  std::string detail;  // human-readable, for the log and the reason phrase; names the error,
                       // never contains received text
  int sip_status = 0;  // what to reject with: 484 (Address Incomplete) when more digits could
                       // complete the number, else 404
};

// Reads an inbound INVITE (from `trunk`). The caller comes from the trunk's own identity header
// first (RPID or PAI), then the other one, P-Preferred-Identity, From; redirections from Diversion
// or History-Info likewise, at most kMaxRedirections (redirection.h).
IdentityResult read_identity(const sip::SipMessage& invite, const Trunk& trunk);

// The identity part of an outbound INVITE toward `trunk`.
struct OutboundIdentity {
  std::string request_uri;  // sip:<called>@<peer_hostport>, ;user=phone when <called> is "+..."
  std::string from;         // full From value including ;tag=<from_tag>
  std::string to;           // To value (no tag): <request_uri>
  // Identity headers to add, in order: Remote-Party-ID or P-Asserted-Identity (+ Privacy),
  // Diversion or History-Info.
  std::vector<std::pair<std::string, std::string>> headers;
};

// `peer_hostport` is the trunk's peer as it goes in the Request-URI; `local_host` the gateway's
// host for From URIs (and for anonymous forms the spec asks for: sip:anonymous@anonymous.invalid).
// Everything is rebuilt from `identity`'s values: no received header text, no peer's host name.
// Emergency calls are never anonymized when the caller's number is known (SIPconnect 2.0 13).
OutboundIdentity write_identity(const CallIdentity& identity, const Trunk& trunk,
                                std::string_view peer_hostport, std::string_view local_host,
                                std::string_view from_tag);

}  // namespace trunkgate::cp
