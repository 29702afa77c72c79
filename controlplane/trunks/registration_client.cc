#include "controlplane/trunks/registration_client.h"

#include <algorithm>
#include <charconv>

#include "controlplane/trunks/out_of_dialog_request.h"
#include "sip/auth/auth_header_adapter.h"

namespace trunkgate::cp {
namespace {

using std::chrono::seconds;

constexpr std::chrono::seconds kSameAddressRetryLimit{32};  // 16.4.1.6
constexpr uint32_t kMaxDeltaSeconds = 0x7fffffff;           // RFC 3261 delta-seconds bound

// A delta-seconds value (Expires, Min-Expires, the expires contact parameter); nullopt unless the
// whole text is digits within range.
std::optional<uint32_t> parse_delta_seconds(std::string_view text) {
  uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > kMaxDeltaSeconds)
    return std::nullopt;
  return value;
}

std::string target_key(const sip::TransportTarget& target) {
  return std::string(sip::TransportName(target.protocol)) + " " + target.endpoint.ToString();
}

std::string status_text(const sip::SipMessage& response) {
  return std::to_string(response.status_code()) + " " + std::string(response.reason_phrase());
}

// The expiry the registrar granted (RFC 3261 10.2.4): our bnc Contact's expires parameter, else
// the Expires header, else what we asked for.
uint32_t granted_expiry(const sip::SipMessage& response, uint32_t requested) {
  if (const auto contacts = response.contacts(); contacts) {
    for (const sip::NameAddr& contact : *contacts) {
      if (!contact.uri.params.has("bnc")) continue;
      if (const auto expires = contact.params.get("expires")) {
        if (const auto value = parse_delta_seconds(*expires)) return *value;
      }
    }
  }
  if (const auto expires = response.find(sip::HeaderId::kExpires)) {
    if (const auto value = parse_delta_seconds(*expires)) return *value;
  }
  return requested;
}

}  // namespace

struct RegistrationClient::Binding {
  explicit Binding(const Trunk& configured) : trunk(&configured), registrar(configured) {}

  // Credentials from the current nonce, so the registrar need not challenge again (16.6.1 rule 2);
  // nullopt before the first challenge.
  std::optional<sip::DigestCredentials> reuse() {
    return digest.Reuse(realm, "REGISTER", request_uri);
  }
  // Whether targets[i] asked (Retry-After > 32 s) not to be tried before a time after `now`.
  bool avoided(std::size_t i, sip::SteadyClock::time_point now) const {
    const auto it = avoid_until.find(target_key(targets[i]));
    return it != avoid_until.end() && it->second > now;
  }

  const Trunk* trunk;
  Trunk registrar;  // the trunk with the registrar as its peer, for SipServices::resolve
  std::string request_uri;
  std::string call_id = random_token();
  std::string from_tag = random_token();
  uint32_t cseq = 0;
  uint32_t expires_s = 0;
  sip::CredentialStore credentials;
  sip::DigestClient digest{credentials};
  std::string realm;  // of the last challenge answered: its nonce is reused
  sip::HeaderId credentials_header = sip::HeaderId::kAuthorization;
  std::vector<sip::TransportTarget> targets;
  std::size_t target = 0;
  bool retried_connection = false;
  unsigned auth_refusals = 0;
  seconds backoff{};
  sip::SteadyClock::time_point bound_until{};  // when the last granted binding lapses
  std::map<std::string, sip::SteadyClock::time_point> avoid_until;  // 16.4.1.6, by target_key
  sip::TimerId timer = 0;
  uint64_t generation = 0;  // outcomes of requests before the latest are ignored
  bool unregistering = false;
  RegistrationStatus status;
};

RegistrationClient::RegistrationClient(SipServices& services, const std::vector<Trunk>& trunks,
                                       ChangeCallback on_change, RegistrationOptions options,
                                       Clock clock)
    : services_(services),
      on_change_(std::move(on_change)),
      options_(options),
      clock_(clock ? std::move(clock) : Clock(sip::SteadyClock::now)) {
  for (const Trunk& trunk : trunks) {
    if (trunk.mode != TrunkMode::kRegister || !trunk.registration) continue;
    auto b = std::make_unique<Binding>(trunk);
    const std::string& registrar = trunk.registration->registrar;
    b->request_uri = "sip:" + registrar;
    if (const auto uri = sip::parse_uri(b->request_uri); uri) {
      b->registrar.peer_host = std::string(uri->host);
      b->registrar.peer_port = uri->port;
    } else {
      b->registrar.peer_host = registrar;  // resolves to nothing: reported as a failure
      b->registrar.peer_port = 0;
    }
    b->expires_s = trunk.registration->expires_s;
    b->backoff = options_.first_backoff;
    if (const auto& account = trunk.outbound_credentials) {
      sip::DigestAccount digest_account{account->username, account->password};
      if (account->realm.empty()) {
        b->credentials.SetFallback(std::move(digest_account));
      } else {
        b->credentials.Add(account->realm, std::move(digest_account));
      }
    }
    bindings_.emplace(trunk.name, std::move(b));
  }
}

RegistrationClient::~RegistrationClient() {
  for (auto& [name, b] : bindings_) {
    if (b->timer != 0) services_.scheduler().Cancel(b->timer);
  }
}

void RegistrationClient::start() {
  for (auto& [name, b] : bindings_) begin(*b);
}

void RegistrationClient::registration_lost(const std::string& trunk) {
  const auto it = bindings_.find(trunk);
  if (it != bindings_.end() && !stopping_) begin(*it->second);
}

std::optional<RegistrationStatus> RegistrationClient::status(const std::string& trunk) const {
  const auto it = bindings_.find(trunk);
  if (it == bindings_.end()) return std::nullopt;
  return it->second->status;
}

void RegistrationClient::set_status(Binding& b, RegistrationStatus status) {
  b.status = std::move(status);
  if (on_change_) on_change_(b.trunk->name, b.status);
}

void RegistrationClient::schedule(Binding& b, sip::SteadyClock::duration delay,
                                  std::function<void()> action) {
  if (b.timer != 0) services_.scheduler().Cancel(b.timer);
  b.timer = services_.scheduler().Schedule(delay, [&b, action = std::move(action)] {
    b.timer = 0;
    action();
  });
}

void RegistrationClient::begin(Binding& b) {
  if (b.timer != 0) services_.scheduler().Cancel(b.timer);
  b.timer = 0;
  const uint64_t generation = ++b.generation;
  b.auth_refusals = 0;
  b.retried_connection = false;
  b.targets.clear();
  set_status(b, RegistrationStatus::registering());
  std::weak_ptr<char> alive = alive_;
  services_.resolve(b.registrar,
                    [this, &b, alive, generation](std::vector<sip::TransportTarget> targets) {
                      if (alive.expired() || generation != b.generation) return;
                      b.targets = std::move(targets);
                      b.target = 0;
                      if (b.targets.empty())
                        return on_unreachable(b, "the registrar does not resolve");
                      if (!b.avoided(0, clock_()) || next_target(b)) return send(b, b.reuse());
                      fail(b, "every registrar address asked to retry later", earliest_retry(b));
                    });
}

void RegistrationClient::send(Binding& b, std::optional<sip::DigestCredentials> credentials) {
  const uint64_t generation = ++b.generation;
  const sip::TransportTarget& target = b.targets[b.target];
  const std::string local = services_.local_hostport(target);
  if (local.empty()) return on_unreachable(b, "no listener for " + target_key(target));
  const std::string& aor = b.trunk->registration->aor;
  sip::SipMessage request = make_out_of_dialog_request({.method = "REGISTER",
                                                        .request_uri = b.request_uri,
                                                        .from_uri = aor,
                                                        .from_tag = b.from_tag,
                                                        .to_uri = aor,
                                                        .call_id = b.call_id,
                                                        .cseq = ++b.cseq});
  // RFC 6140 5.1: a Contact without user part, marked bnc; gin required of registrar and proxies.
  request.add_header(sip::HeaderId::kContact, "<" + contact_uri(local, target, ";bnc") + ">");
  request.add_header(sip::HeaderId::kRequire, "gin");
  request.add_header(sip::HeaderId::kProxyRequire, "gin");
  request.add_header(sip::HeaderId::kSupported, "path");
  request.add_header(sip::HeaderId::kExpires, std::to_string(b.unregistering ? 0 : b.expires_s));
  if (credentials) request.add_header(b.credentials_header, credentials->ToHeaderValue());
  std::weak_ptr<char> alive = alive_;
  const auto current = [&b, alive, generation] {
    return !alive.expired() && generation == b.generation;
  };
  sip::ClientTransactionUser user{
      .on_response =
          [this, &b, current](const sip::SipMessage& response) {
            if (current() && response.status_code() >= 200) on_response(b, response);
          },
      .on_failure =
          [this, &b, current](std::string_view reason) {
            if (current()) on_unreachable(b, std::string(reason));
          },
  };
  if (!services_.send_request(std::move(request), target, std::move(user)))
    on_unreachable(b, "cannot send to " + target_key(target));
}

void RegistrationClient::on_response(Binding& b, const sip::SipMessage& response) {
  const int code = response.status_code();
  const bool refusal = code == 401 || code == 407 || code == 403;
  if (b.unregistering) {
    // One answer to a challenge; any other outcome ends the unregistration.
    if ((code == 401 || code == 407) && b.auth_refusals++ == 0) return on_challenge(b, response);
    return unregistered(b);
  }
  if (!refusal) b.auth_refusals = 0;  // 16.4.1.4 counts refusals "without a different response"
  if (code < 300) return on_success(b, response);
  if (refusal && ++b.auth_refusals > options_.max_auth_refusals) {
    return back_off(b, "authentication failed: " + status_text(response));
  }
  if (code == 401 || code == 407) return on_challenge(b, response);
  // A fresh REGISTER draws a fresh challenge: a 403 may answer a nonce the registrar forgot.
  if (code == 403) return send(b, std::nullopt);
  if (code == 423) {
    const auto minimum = response.find(sip::HeaderId::kMinExpires);
    const auto value = minimum ? parse_delta_seconds(*minimum) : std::nullopt;
    if (value && *value > b.expires_s) {
      b.expires_s = *value;
      return send(b, b.reuse());
    }
    return back_off(b, "423 without a longer Min-Expires");
  }
  if (code == 480) return on_unreachable(b, status_text(response));  // 16.4.1.5
  if ((code == 500 || code == 503) && response.retry_after()) return on_overload(b, response);
  // 16.4.1.7: like a delivery failure, unless a longer Retry-After is given.
  const auto retry_after = response.retry_after();
  back_off(b, status_text(response), seconds(retry_after ? retry_after->seconds : 0));
}

void RegistrationClient::on_challenge(Binding& b, const sip::SipMessage& response) {
  const bool proxy = response.status_code() == 407;
  const auto headers = response.auth_headers(proxy ? sip::HeaderId::kProxyAuthenticate
                                                   : sip::HeaderId::kWwwAuthenticate);
  std::optional<sip::DigestChallenge> challenge;
  if (headers) {
    for (const sip::AuthHeader& header : *headers) {
      if ((challenge = sip::ChallengeFromHeader(header))) break;
    }
  }
  if (!challenge) {
    if (b.unregistering) return unregistered(b);
    return back_off(b, status_text(response) + " without a usable digest challenge");
  }
  // Told the request carried no credentials: whether to try again is 16.4.1.4's count of
  // refusals, not DigestClient's first-refusal rule (a registrar may re-challenge a reused nonce
  // without stale=true).
  sip::DigestAnswer answer = b.digest.Answer(*challenge, "REGISTER", b.request_uri, false);
  if (!answer.credentials) {
    if (b.unregistering) return unregistered(b);
    return back_off(b, "no credentials for realm \"" + challenge->realm + "\"");
  }
  b.realm = challenge->realm;
  b.credentials_header = proxy ? sip::HeaderId::kProxyAuthorization : sip::HeaderId::kAuthorization;
  send(b, std::move(answer.credentials));
}

void RegistrationClient::on_success(Binding& b, const sip::SipMessage& response) {
  b.backoff = options_.first_backoff;
  b.retried_connection = false;
  const uint32_t granted = granted_expiry(response, b.expires_s);
  if (granted == 0) return back_off(b, "the registrar granted no time");
  const auto lifetime = seconds(granted);
  b.bound_until = clock_() + lifetime;
  set_status(b, RegistrationStatus::registered(clock_() + lifetime));
  schedule(b, std::max<sip::SteadyClock::duration>(lifetime / 2, std::chrono::seconds(1)),
           [this, &b] { send(b, b.reuse()); });
}

void RegistrationClient::on_overload(Binding& b, const sip::SipMessage& response) {
  const seconds wait(response.retry_after()->seconds);
  if (wait <= kSameAddressRetryLimit) {
    set_status(b, RegistrationStatus::failed(clock_() + wait, status_text(response)));
    return schedule(b, wait, [this, &b] { send(b, b.reuse()); });
  }
  b.avoid_until[target_key(b.targets[b.target])] = clock_() + wait;
  if (next_target(b)) return send(b, b.reuse());
  fail(b, status_text(response), wait);
}

void RegistrationClient::on_unreachable(Binding& b, const std::string& reason) {
  if (b.unregistering) return unregistered(b);
  // 16.4.1.1: a connection may only have been lost; one more REGISTER reconnects.
  if (!b.targets.empty() && b.targets[b.target].reliable() && !b.retried_connection) {
    b.retried_connection = true;
    return send(b, b.reuse());
  }
  if (next_target(b)) return send(b, b.reuse());
  back_off(b, reason);
}

bool RegistrationClient::next_target(Binding& b) {
  const auto now = clock_();
  for (std::size_t i = b.target + 1; i < b.targets.size(); ++i) {
    if (b.avoided(i, now)) continue;
    b.target = i;
    b.retried_connection = false;
    return true;
  }
  return false;
}

std::chrono::seconds RegistrationClient::earliest_retry(const Binding& b) const {
  auto earliest = sip::SteadyClock::time_point::max();
  for (const auto& [key, until] : b.avoid_until) earliest = std::min(earliest, until);
  const auto wait = std::chrono::ceil<std::chrono::seconds>(earliest - clock_());
  return std::max(wait, std::chrono::seconds(1));
}

void RegistrationClient::back_off(Binding& b, const std::string& reason, seconds at_least) {
  // 16.4.1.1: 30 s, doubling per successive failure up to 960 s; reset by a success.
  const seconds delay = std::max(b.backoff, at_least);
  b.backoff = std::min(b.backoff * 2, options_.max_backoff);
  fail(b, reason, delay);
}

void RegistrationClient::fail(Binding& b, const std::string& reason, seconds delay) {
  ++b.generation;
  set_status(b, RegistrationStatus::failed(clock_() + delay, reason));
  schedule(b, delay, [this, &b] { begin(b); });
}

void RegistrationClient::stop(std::function<void()> done) {
  stopping_ = true;
  stopped_ = std::move(done);
  ++unregistering_;  // held until every unregistration has started, in case one ends at once
  for (auto& [name, b] : bindings_) {
    if (b->timer != 0) services_.scheduler().Cancel(b->timer);
    b->timer = 0;
    ++b->generation;
    // Bound: a binding granted and not lapsed (its refresh may have failed since), or a REGISTER
    // in flight that the registrar may accept.
    const bool bound =
        b->bound_until > clock_() || b->status.state == RegistrationStatus::State::kRegistering;
    if (bound && !b->targets.empty()) unregister(*b);
  }
  if (--unregistering_ == 0 && stopped_) std::exchange(stopped_, nullptr)();
}

void RegistrationClient::unregister(Binding& b) {
  b.unregistering = true;
  b.auth_refusals = 0;
  ++unregistering_;
  send(b, b.reuse());
}

void RegistrationClient::unregistered(Binding& b) {
  b.unregistering = false;
  ++b.generation;
  set_status(b, RegistrationStatus::unregistered());
  if (--unregistering_ == 0 && stopped_) std::exchange(stopped_, nullptr)();
}

}  // namespace trunkgate::cp
