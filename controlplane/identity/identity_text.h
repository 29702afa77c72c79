// Text rules for identity values. Every header the gateway writes is rebuilt from these cleaned
// values, never from received header text: display names lose control characters and are bounded,
// URI users are percent-escaped again, and numbers are stored either as E.164 ("+1...") or as the
// unescaped user part the peer sent.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "controlplane/routing/number.h"
#include "sip/message/uri.h"

namespace trunkgate::cp {

inline constexpr std::size_t kMaxDisplayNameBytes = 64;
inline constexpr std::size_t kMaxRawNumberBytes = 64;  // non-E.164 user parts kept as received

// Unquoted display text made safe to keep: control characters (CR, LF, TAB, NUL ...) removed,
// cut at kMaxDisplayNameBytes on a UTF-8 character boundary, spaces trimmed.
std::string clean_display_name(std::string_view text);

// `text` cleaned, then quoted with '"' and '\' escaped (RFC 3261 25.1 quoted-string).
std::string quoted_display_name(std::string_view text);

// A URI user part from any text: unreserved characters and '+' kept, everything else %XX.
std::string escape_uri_user(std::string_view user);

// The number of a sip/sips URI (user part before its ';' parameters, unescaped) or a tel URI;
// nullopt for other schemes, an empty user or a malformed escape.
std::optional<std::string> uri_number(const sip::Uri& uri);

// "+E164" (or the emergency code) when `user` normalizes under `plan`; else `user` as received,
// or "" when it is longer than kMaxRawNumberBytes.
std::string normalized_or_raw(std::string_view user, const DialPlan& plan);

// A stored number (see normalized_or_raw) written the way `plan`'s peer wants it: E.164 numbers
// through format(); anything else as it was received.
std::string number_for_peer(std::string_view stored, const DialPlan& plan);

// sip:<user>@<host>, with ;user=phone only for a global number ("+..."): RFC 3966 section 5.1.4
// gives a local number meaning only with a phone-context, and SIPconnect 2.0 section 10.2.1 sends
// dial strings (sip:92125551212@sp.example.com, sip:911@...) without user=phone; 8x8's own
// examples (spec 000, "Request-URI, To and From") do the same for numbers without '+'.
std::string phone_uri(std::string_view user, std::string_view host);

// `display` quoted (omitted when empty) followed by <uri>.
std::string name_addr_text(std::string_view display, std::string_view uri);

}  // namespace trunkgate::cp
