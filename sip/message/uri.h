// URIs: sip:, sips: and tel: are parsed into parts (user, password, host, port, params, headers);
// any other scheme is kept as opaque text (RFC 3261 absoluteURI). All parts are views into the text
// that was parsed, escapes left as received (use unescape() to compare).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message/limits.h"
#include "sip/message/params.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

enum class UriScheme : std::uint8_t { kSip, kSips, kTel, kOther };

struct Uri {
  std::string_view text;  // the whole URI as parsed
  UriScheme scheme = UriScheme::kOther;
  std::string_view scheme_name;  // as written ("sip", "SIP", "tel", "urn" ...)
  std::string_view user;         // sip/sips: userinfo before ':' or '@' (may contain ";params"),
                                 // empty for "sip:@host" and CUCM's "sip: @host";
                                 // tel: the number, without its parameters
  std::string_view password;
  std::string_view host;   // IPv6 references keep their brackets: "[2001:db8::1]"
  std::uint16_t port = 0;  // 0 when absent
  bool has_port = false;
  Params params;             // sip: ";transport=tcp;lr"; tel: ";phone-context=..."
  std::string_view headers;  // after '?', without it
  std::string_view opaque;   // other schemes: everything after "scheme:"

  bool is_sip() const { return scheme == UriScheme::kSip || scheme == UriScheme::kSips; }
  bool is_ipv6_host() const { return !host.empty() && host.front() == '['; }
  // user=phone in a sip URI, or any tel: URI.
  bool is_phone() const;
  // The user part before any ';' ("12345" of "12345;phone-context=lpl").
  std::string_view user_number() const;
  // Parameters inside the user part (RFC 3966 via user=phone): phone-context, isub, ext ...
  Params user_params() const;
  // phone-context from the tel: params or from the user part of a sip user=phone URI.
  std::string_view phone_context() const;
};

// Parses one URI (no surrounding LWS or angle brackets).
Result<Uri> parse_uri(std::string_view text, const ParseLimits& limits = kDefaultLimits);
// The same, writing into `uri` (a default-constructed Uri; left partly written on failure): for
// parsers that embed a Uri (name-addr), where copying it out of a Result showed in the profile.
Result<bool> parse_uri_into(Uri& uri, std::string_view text,
                            const ParseLimits& limits = kDefaultLimits);

// Host syntax: hostname, IPv4 address or bracketed IPv6 reference.
bool is_valid_host(std::string_view host);

}  // namespace trunkgate::sip
