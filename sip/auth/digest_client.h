// The client side of digest authentication: answers 401/407 challenges with the credentials of
// the challenged realm and reuses a nonce for later requests (SIPconnect 2.0 Annex A: "SHOULD
// reuse the current nonce").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sip/auth/digest_params.h"

namespace trunkgate::sip {

struct DigestAccount {
  std::string username;
  std::string password;
};

// Accounts keyed by realm; an optional fallback serves realms nobody configured (carriers often
// announce a realm that differs from their domain).
class CredentialStore {
 public:
  void Add(std::string realm, DigestAccount account);
  void SetFallback(DigestAccount account);
  const DigestAccount* Find(std::string_view realm) const;

 private:
  std::map<std::string, DigestAccount, std::less<>> by_realm_;
  std::optional<DigestAccount> fallback_;
};

enum class DigestRefusal {
  kNone,
  kNoCredentials,  // no account for the realm
  kRejected,       // the server challenged credentials we already sent, without stale=true
};

struct DigestAnswer {
  DigestRefusal refusal = DigestRefusal::kNone;
  std::optional<DigestCredentials> credentials;  // set when refusal == kNone
};

class DigestClient {
 public:
  explicit DigestClient(const CredentialStore& store) : store_(store) {}

  // Answers a challenge to a request (method, Request-URI). `request_had_credentials` says whether
  // the challenged request already carried credentials for this realm: a second challenge then
  // means wrong credentials, unless the nonce was merely stale.
  DigestAnswer Answer(const DigestChallenge& challenge, std::string_view method,
                      std::string_view uri, bool request_had_credentials);

  // Credentials for a new request to `realm` from the last nonce it issued, with the next nc;
  // nullopt when no challenge from that realm has been answered yet.
  std::optional<DigestCredentials> Reuse(std::string_view realm, std::string_view method,
                                         std::string_view uri);

 private:
  struct RealmState {
    DigestChallenge challenge;
    std::uint32_t nc = 0;
  };

  DigestCredentials Sign(RealmState& state, const DigestAccount& account, std::string_view method,
                         std::string_view uri);

  const CredentialStore& store_;
  std::map<std::string, RealmState, std::less<>> realms_;
};

}  // namespace trunkgate::sip
