// Digest authentication of requests from trunks with challenge_inbound (RFC 3261 22.3, proxy
// style: 407 + Proxy-Authenticate, as 8x8 does towards us, spec 000). The user name in
// Proxy-Authorization picks the trunk, so trunks that share source addresses (or have none, like
// registration-mode PBXes) are told apart by their credentials.
//
// For requests from a source that matched no trunk, or matched a trunk with challenge_inbound.
// Not for ACK or CANCEL: they cannot be challenged (RFC 3261 22.1); the caller matches them to
// their INVITE instead.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controlplane/config/trunk.h"
#include "sip/auth/digest_server.h"
#include "sip/message/message.h"

namespace trunkgate::cp {

struct InboundAuthConfig {
  // Realm of trunks whose inbound_credentials name none, and of challenges to unknown sources.
  std::string realm = "trunkgate";
  sip::DigestAlgorithm algorithm = sip::DigestAlgorithm::kMd5;
  std::chrono::seconds nonce_lifetime{300};
  std::string nonce_key;  // shared HMAC key for a cluster; empty: random per process
};

struct InboundAuthResult {
  enum class Kind {
    kAuthenticated,  // `trunk` is the authenticated trunk; no response
    kChallenge,      // send `response` (407 with Proxy-Authenticate; stale=true for stale nonces)
    kReject,         // send `response` (403, or 400 for unreadable credentials)
  };
  Kind kind = Kind::kReject;
  const Trunk* trunk = nullptr;
  std::optional<sip::SipMessage> response;
};

class InboundAuthenticator {
 public:
  // Seconds on the clock nonces are stamped with; wall-clock time by default, so that a cluster
  // sharing nonce_key agrees on nonce ages.
  using Clock = std::function<std::chrono::seconds()>;

  // `trunks` must outlive the authenticator.
  InboundAuthenticator(const std::vector<Trunk>& trunks, InboundAuthConfig config,
                       Clock clock = {});

  // `source_trunk`: what InboundClassifier matched (nullptr for none). It only chooses the realm
  // of a first challenge; the credentials decide the trunk. `to_tag` goes into the To of the
  // response built (the same tag the transaction layer uses for this request's responses).
  InboundAuthResult check(const sip::SipMessage& request, const Trunk* source_trunk,
                          std::string_view to_tag);

 private:
  struct Realm {
    sip::DigestServer server;
    std::map<std::string, const Trunk*, std::less<>> by_username;
  };

  const std::string& realm_of(const Trunk& trunk) const;
  InboundAuthResult challenge(const sip::SipMessage& request, const std::string& realm, bool stale,
                              std::string_view to_tag);

  InboundAuthConfig config_;
  Clock clock_;
  std::map<std::string, Realm, std::less<>> realms_;
};

}  // namespace trunkgate::cp
