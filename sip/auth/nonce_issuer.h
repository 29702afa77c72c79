// Server nonces that carry their own issue time and an HMAC over it, so that any process holding
// the key can tell a genuine nonce from a forged one and its age, without remembering it.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace trunkgate::sip {

enum class NonceStatus { kValid, kExpired, kForged };

class NonceIssuer {
 public:
  // `key`: the HMAC key shared by the servers that must accept each other's nonces; empty means a
  // random key private to this instance. `salt` binds the nonce to a context (the realm).
  NonceIssuer(std::string key, std::string salt, std::chrono::seconds lifetime);

  std::string Issue(std::chrono::seconds now) const;
  NonceStatus Check(std::string_view nonce, std::chrono::seconds now) const;

 private:
  std::string Mac(std::string_view payload) const;

  std::string key_;
  std::string salt_;
  std::chrono::seconds lifetime_;
};

}  // namespace trunkgate::sip
