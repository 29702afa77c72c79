// The parameters of digest challenges (WWW-/Proxy-Authenticate) and credentials
// (Authorization/Proxy-Authorization), independent of how the header was tokenised.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "sip/auth/digest_hash.h"

namespace trunkgate::sip {

// One auth-param as the header parser delivers it: a name and its value with quotes removed and
// escapes resolved.
using AuthParamView = std::pair<std::string_view, std::string_view>;

struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::optional<std::string> opaque;
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  bool qop_auth = false;  // false: the RFC 2069 form without qop, nc and cnonce
  bool stale = false;

  // nullopt when the challenge cannot be answered: realm or nonce missing, an unknown algorithm,
  // or a qop list that does not offer "auth" (auth-int is not supported).
  static std::optional<DigestChallenge> FromParams(std::span<const AuthParamView> params);
  // The header value, starting with the "Digest" scheme.
  std::string ToHeaderValue() const;
};

struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::optional<std::string> opaque;
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  bool qop_auth = false;
  std::string cnonce;  // only with qop
  std::string nc;      // only with qop: eight hex digits

  // nullopt when a mandatory parameter is missing, the algorithm is unknown, the qop is not
  // "auth", or qop is present without a well-formed nc and a cnonce.
  static std::optional<DigestCredentials> FromParams(std::span<const AuthParamView> params);
  std::string ToHeaderValue() const;
};

}  // namespace trunkgate::sip
