#include "sip/auth/digest_response.h"

namespace trunkgate::sip {
namespace {

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view part : parts) {
    if (!first) out += ':';
    out += part;
    first = false;
  }
  return out;
}

}  // namespace

std::string DigestHa1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                      std::string_view password) {
  return DigestHex(algorithm, Join({username, realm, password}));
}

std::string DigestResponse(const DigestResponseInput& input) {
  const std::string ha2 = DigestHex(input.algorithm, Join({input.method, input.uri}));
  if (!input.qop_auth) return DigestHex(input.algorithm, Join({input.ha1, input.nonce, ha2}));
  return DigestHex(input.algorithm,
                   Join({input.ha1, input.nonce, input.nc, input.cnonce, "auth", ha2}));
}

}  // namespace trunkgate::sip
