// The request-digest computation of RFC 7616 section 3.4.1 (qop=auth) and RFC 2069 (no qop).
#pragma once

#include <string>
#include <string_view>

#include "sip/auth/digest_hash.h"

namespace trunkgate::sip {

struct DigestResponseInput {
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  std::string_view ha1;  // DigestHa1(...)
  std::string_view nonce;
  std::string_view method;
  std::string_view uri;
  bool qop_auth = false;
  std::string_view nc;      // only with qop
  std::string_view cnonce;  // only with qop
};

// H(username ":" realm ":" password).
std::string DigestHa1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                      std::string_view password);

// The value of the `response` parameter.
std::string DigestResponse(const DigestResponseInput& input);

}  // namespace trunkgate::sip
