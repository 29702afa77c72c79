#include "sip/auth/digest_client.h"

#include <cstdio>

#include "sip/auth/digest_response.h"

namespace trunkgate::sip {
namespace {

constexpr std::size_t kCnonceBytes = 16;  // SIPconnect asks for at least 64 random bits

std::string FormatNonceCount(std::uint32_t nc) {
  char text[9];
  std::snprintf(text, sizeof text, "%08x", nc);
  return text;
}

}  // namespace

void CredentialStore::Add(std::string realm, DigestAccount account) {
  by_realm_.insert_or_assign(std::move(realm), std::move(account));
}

void CredentialStore::SetFallback(DigestAccount account) {
  fallback_ = std::move(account);
}

const DigestAccount* CredentialStore::Find(std::string_view realm) const {
  if (const auto it = by_realm_.find(realm); it != by_realm_.end()) return &it->second;
  return fallback_ ? &*fallback_ : nullptr;
}

DigestAnswer DigestClient::Answer(const DigestChallenge& challenge, std::string_view method,
                                  std::string_view uri, bool request_had_credentials) {
  if (request_had_credentials && !challenge.stale) return {DigestRefusal::kRejected, std::nullopt};
  const DigestAccount* account = store_.Find(challenge.realm);
  if (account == nullptr) return {DigestRefusal::kNoCredentials, std::nullopt};
  RealmState& state =
      realms_.insert_or_assign(challenge.realm, RealmState{challenge}).first->second;
  return {DigestRefusal::kNone, Sign(state, *account, method, uri)};
}

std::optional<DigestCredentials> DigestClient::Reuse(std::string_view realm,
                                                     std::string_view method,
                                                     std::string_view uri) {
  const auto it = realms_.find(realm);
  const DigestAccount* account = store_.Find(realm);
  if (it == realms_.end() || account == nullptr) return std::nullopt;
  // Without qop each use of a nonce is indistinguishable from a replay, so it is used once only.
  if (!it->second.challenge.qop_auth) return std::nullopt;
  return Sign(it->second, *account, method, uri);
}

DigestCredentials DigestClient::Sign(RealmState& state, const DigestAccount& account,
                                     std::string_view method, std::string_view uri) {
  const DigestChallenge& challenge = state.challenge;
  DigestCredentials credentials;
  credentials.username = account.username;
  credentials.realm = challenge.realm;
  credentials.nonce = challenge.nonce;
  credentials.uri = std::string(uri);
  credentials.opaque = challenge.opaque;
  credentials.algorithm = challenge.algorithm;
  credentials.qop_auth = challenge.qop_auth;
  if (challenge.qop_auth) {
    credentials.nc = FormatNonceCount(++state.nc);
    credentials.cnonce = RandomHex(kCnonceBytes);
  }
  const std::string ha1 =
      DigestHa1(challenge.algorithm, account.username, challenge.realm, account.password);
  credentials.response = DigestResponse({challenge.algorithm, ha1, challenge.nonce, method, uri,
                                         challenge.qop_auth, credentials.nc, credentials.cnonce});
  return credentials;
}

}  // namespace trunkgate::sip
