// The server side of digest authentication: issues challenges and verifies credentials, with
// stateless nonce expiry (NonceIssuer) and per-nonce replay protection (NonceCountTracker).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sip/auth/digest_params.h"
#include "sip/auth/nonce_count_tracker.h"
#include "sip/auth/nonce_issuer.h"

namespace trunkgate::sip {

struct DigestServerConfig {
  std::string realm;
  DigestAlgorithm algorithm = DigestAlgorithm::kMd5;
  std::chrono::seconds nonce_lifetime{300};
  std::size_t max_tracked_nonces = 65536;
  std::string key;  // shared HMAC key for a cluster; empty = random per instance
};

enum class DigestVerdict {
  kAccepted,
  kWrongRealm,
  kWrongAlgorithm,  // not the algorithm we challenged with: refuses downgrades
  kUnknownUser,
  kBadResponse,  // wrong password, or credentials for another request
  kStaleNonce,   // right password, nonce expired or forgotten: challenge again with stale=true
  kForgedNonce,  // not a nonce of ours
  kReplayed,     // nc not above the last one seen for this nonce
};

// Returns the password of (username, realm), or nullopt for an unknown user.
using PasswordLookup =
    std::function<std::optional<std::string>(std::string_view username, std::string_view realm)>;

class DigestServer {
 public:
  explicit DigestServer(DigestServerConfig config);

  // A fresh challenge; `stale` after a kStaleNonce verdict.
  DigestChallenge Challenge(std::chrono::seconds now, bool stale = false);

  // Verifies credentials sent with a request of `method`. The digest covers the uri parameter
  // the client signed; checking it against the Request-URI is left to the caller, since proxies
  // may rewrite the Request-URI.
  DigestVerdict Verify(const DigestCredentials& credentials, std::string_view method,
                       std::chrono::seconds now, const PasswordLookup& lookup);

 private:
  DigestServerConfig config_;
  NonceIssuer issuer_;
  NonceCountTracker tracker_;
};

}  // namespace trunkgate::sip
