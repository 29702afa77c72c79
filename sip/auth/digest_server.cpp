#include "sip/auth/digest_server.h"

#include <charconv>
#include <cstdint>

#include "sip/auth/digest_hash.h"
#include "sip/auth/digest_response.h"

namespace trunkgate::sip {
namespace {

std::uint32_t ParseNonceCount(std::string_view nc) {
  std::uint32_t value = 0;
  std::from_chars(nc.data(), nc.data() + nc.size(), value, 16);  // DigestCredentials validated it
  return value;
}

}  // namespace

DigestServer::DigestServer(DigestServerConfig config)
    : config_(std::move(config)),
      issuer_(config_.key, config_.realm, config_.nonce_lifetime),
      tracker_(config_.max_tracked_nonces) {}

DigestChallenge DigestServer::Challenge(std::chrono::seconds now, bool stale) {
  DigestChallenge challenge;
  challenge.realm = config_.realm;
  challenge.nonce = issuer_.Issue(now);
  challenge.algorithm = config_.algorithm;
  challenge.qop_auth = true;
  challenge.stale = stale;
  tracker_.Remember(challenge.nonce);
  return challenge;
}

DigestVerdict DigestServer::Verify(const DigestCredentials& credentials, std::string_view method,
                                   std::chrono::seconds now, const PasswordLookup& lookup) {
  if (credentials.realm != config_.realm) return DigestVerdict::kWrongRealm;
  if (credentials.algorithm != config_.algorithm) return DigestVerdict::kWrongAlgorithm;
  const NonceStatus status = issuer_.Check(credentials.nonce, now);
  if (status == NonceStatus::kForged) return DigestVerdict::kForgedNonce;
  const auto password = lookup(credentials.username, credentials.realm);
  if (!password) return DigestVerdict::kUnknownUser;
  const std::string ha1 =
      DigestHa1(credentials.algorithm, credentials.username, credentials.realm, *password);
  const std::string expected =
      DigestResponse({credentials.algorithm, ha1, credentials.nonce, method, credentials.uri,
                      credentials.qop_auth, credentials.nc, credentials.cnonce});
  if (!ConstantTimeEquals(expected, credentials.response)) return DigestVerdict::kBadResponse;
  // Only a client that knows the password learns that its nonce is stale (RFC 7616 3.3).
  if (status == NonceStatus::kExpired) return DigestVerdict::kStaleNonce;
  const NonceUse use = credentials.qop_auth
                           ? tracker_.Use(credentials.nonce, ParseNonceCount(credentials.nc))
                           : tracker_.UseOnce(credentials.nonce);
  if (use == NonceUse::kUnknown) return DigestVerdict::kStaleNonce;
  return use == NonceUse::kReplayed ? DigestVerdict::kReplayed : DigestVerdict::kAccepted;
}

}  // namespace trunkgate::sip
