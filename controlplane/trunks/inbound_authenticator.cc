#include "controlplane/trunks/inbound_authenticator.h"

#include "sip/auth/auth_header_adapter.h"
#include "sip/transaction/response_routing.h"

namespace trunkgate::cp {
namespace {

std::chrono::seconds wall_clock_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
}

InboundAuthResult reject(const sip::SipMessage& request, int status, std::string_view reason,
                         std::string_view to_tag) {
  return {InboundAuthResult::Kind::kReject, nullptr,
          sip::MakeResponse(request, status, reason, to_tag)};
}

}  // namespace

InboundAuthenticator::InboundAuthenticator(const std::vector<Trunk>& trunks,
                                           InboundAuthConfig config, Clock clock)
    : config_(std::move(config)), clock_(clock ? std::move(clock) : wall_clock_seconds) {
  for (const Trunk& trunk : trunks) {
    if (!trunk.challenge_inbound || !trunk.inbound_credentials) continue;
    const std::string& realm = realm_of(trunk);
    auto it = realms_.find(realm);
    if (it == realms_.end()) {
      sip::DigestServerConfig server{.realm = realm,
                                     .algorithm = config_.algorithm,
                                     .nonce_lifetime = config_.nonce_lifetime,
                                     .key = config_.nonce_key};
      it = realms_.emplace(realm, Realm{sip::DigestServer(std::move(server)), {}}).first;
    }
    // Two trunks with one user name in one realm cannot be told apart: the first one keeps it.
    it->second.by_username.emplace(trunk.inbound_credentials->username, &trunk);
  }
}

const std::string& InboundAuthenticator::realm_of(const Trunk& trunk) const {
  const bool own = trunk.inbound_credentials && !trunk.inbound_credentials->realm.empty();
  return own ? trunk.inbound_credentials->realm : config_.realm;
}

InboundAuthResult InboundAuthenticator::challenge(const sip::SipMessage& request,
                                                  const std::string& realm, bool stale,
                                                  std::string_view to_tag) {
  const sip::DigestChallenge issued = realms_.at(realm).server.Challenge(clock_(), stale);
  sip::SipMessage response =
      sip::MakeResponse(request, 407, "Proxy Authentication Required", to_tag);
  response.add_header(sip::HeaderId::kProxyAuthenticate, issued.ToHeaderValue());
  return {InboundAuthResult::Kind::kChallenge, nullptr, std::move(response)};
}

InboundAuthResult InboundAuthenticator::check(const sip::SipMessage& request,
                                              const Trunk* source_trunk, std::string_view to_tag) {
  if (realms_.empty()) return reject(request, 403, "Forbidden", to_tag);  // nobody to recognise
  const auto headers = request.auth_headers(sip::HeaderId::kProxyAuthorization);
  if (!headers) return reject(request, 400, "Malformed Proxy-Authorization", to_tag);
  // Credentials for other realms belong to proxies further on: look for ours only.
  for (const sip::AuthHeader& header : *headers) {
    const auto realm_name = header.get_unquoted("realm");
    if (!realm_name) continue;
    const auto realm = realms_.find(*realm_name);
    if (realm == realms_.end()) continue;
    const auto credentials = sip::CredentialsFromHeader(header);
    if (!credentials) return reject(request, 400, "Malformed Proxy-Authorization", to_tag);
    const Trunk* trunk = nullptr;
    const auto lookup = [&](std::string_view username,
                            std::string_view) -> std::optional<std::string> {
      const auto user = realm->second.by_username.find(username);
      if (user == realm->second.by_username.end()) return std::nullopt;
      trunk = user->second;
      return trunk->inbound_credentials->password;
    };
    switch (realm->second.server.Verify(*credentials, request.method_text(), clock_(), lookup)) {
      case sip::DigestVerdict::kAccepted:
        return {InboundAuthResult::Kind::kAuthenticated, trunk, std::nullopt};
      case sip::DigestVerdict::kStaleNonce:
        return challenge(request, realm->first, true, to_tag);
      case sip::DigestVerdict::kForgedNonce:
        // Also a nonce of an earlier process with a random key: a fresh challenge lets an honest
        // client in, and tells a forger nothing.
        return challenge(request, realm->first, false, to_tag);
      case sip::DigestVerdict::kWrongRealm:  // cannot happen: the realm picked the server
      case sip::DigestVerdict::kWrongAlgorithm:
      case sip::DigestVerdict::kUnknownUser:
      case sip::DigestVerdict::kBadResponse:
      case sip::DigestVerdict::kReplayed:
        // 403 rather than another 407: a client with a wrong password would only loop (RFC 3261
        // 22.3 allows either; DigestClient gives up on a second challenge anyway).
        return reject(request, 403, "Forbidden", to_tag);
    }
  }
  // No credentials for us yet: challenge in the realm of the trunk the source suggests, else the
  // default realm when trunks use it, else the lowest realm name (deterministic).
  std::string realm = config_.realm;
  if (source_trunk != nullptr && source_trunk->challenge_inbound) realm = realm_of(*source_trunk);
  if (!realms_.contains(realm)) realm = realms_.begin()->first;
  return challenge(request, realm, false, to_tag);
}

}  // namespace trunkgate::cp
