// WWW-Authenticate, Proxy-Authenticate, Authorization, Proxy-Authorization (RFC 3261 25.1,
// RFC 7616): a scheme followed by a comma list of auth-params, each `name=token` or
// `name="quoted"`. Parsed generically; the digest layer (sip/auth) interprets the names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

struct AuthParam {
  std::string_view name;
  std::string_view value;  // as written: quoted values keep quotes
  bool quoted = false;
};

struct AuthHeader {
  std::string_view scheme;  // "Digest" (compare case-insensitively: CUCM sends "DIGEST")
  std::vector<AuthParam> params;

  // Case-insensitive lookup of the raw value.
  std::optional<std::string_view> get(std::string_view name) const;
  // The value with quotes and escapes removed; nullopt if absent.
  std::optional<std::string> get_unquoted(std::string_view name) const;
};

Result<AuthHeader> parse_auth_header(std::string_view value,
                                     const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
