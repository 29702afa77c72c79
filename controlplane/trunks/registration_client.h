// Registration mode (SIPconnect 2.0 Annex A): for every trunk with mode register, keeps one
// RFC 6140 registration at the trunk's registrar and removes it on shutdown.
//
// The rules, with the Annex's sections:
// - REGISTER with the Registration AOR in From and To (16.4); Contact <sip:gateway;bnc> with no
//   user part, Require and Proxy-Require: gin, Supported: path (16.4 "in accordance with
//   RFC 6140", RFC 6140 5.1); Expires: registration.expires_s. One Call-ID per trunk, CSeq rising
//   (RFC 3261 10.2). No sip.instance: that belongs to RFC 5626 outbound, which Annex A does not
//   use.
// - 401/407 answered with DigestClient; later REGISTERs reuse the nonce (16.6.1 rule 2). More than
//   three 401/407/403 in a row fail the attempt (16.4.1.4).
// - No answer within Timer F, a transport error or 480: the registrar is unreachable; over TCP/TLS
//   one more REGISTER to the same address first (16.4.1.1), then the next resolved address; when
//   none is left, wait 30 s, doubling per failure up to 960 s (16.4.1.1, 16.4.1.5).
// - 500/503 with Retry-After <= 32 s: retry the same address after it; longer: avoid that address
//   until then and try the others, else wait it out (16.4.1.6).
// - 423 Interval Too Brief: register again at once with Expires = Min-Expires (RFC 3261 10.2.8; the
//   "explicit negotiation" 16.4.1.7 exempts from backoff).
// - Other 4xx/5xx/6xx: the same backoff, or a longer Retry-After (16.4.1.7).
// - The granted expiry is honoured (16.5): the refresh is sent at half of it (the Annex names no
//   point; half leaves room for a Timer F timeout and one retry before the binding lapses).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controlplane/config/trunk.h"
#include "controlplane/signaling/sip_services.h"
#include "sip/auth/digest_client.h"

namespace trunkgate::cp {

struct RegistrationStatus {
  enum class State { kRegistering, kRegistered, kFailed, kUnregistered };
  State state = State::kRegistering;
  sip::SteadyClock::time_point until;     // kRegistered: when the binding lapses
  sip::SteadyClock::time_point retry_at;  // kFailed: the next attempt
  std::string reason;                     // kFailed: why, for the log

  static RegistrationStatus registering() { return {}; }
  static RegistrationStatus registered(sip::SteadyClock::time_point until) {
    RegistrationStatus status;
    status.state = State::kRegistered;
    status.until = until;
    return status;
  }
  static RegistrationStatus failed(sip::SteadyClock::time_point retry_at, std::string reason) {
    RegistrationStatus status;
    status.state = State::kFailed;
    status.retry_at = retry_at;
    status.reason = std::move(reason);
    return status;
  }
  static RegistrationStatus unregistered() {
    RegistrationStatus status;
    status.state = State::kUnregistered;
    return status;
  }
};

struct RegistrationOptions {
  std::chrono::seconds first_backoff{30};  // 16.4.1.1
  std::chrono::seconds max_backoff{960};
  unsigned max_auth_refusals = 3;  // 16.4.1.4: "more than three" fail the attempt
};

class RegistrationClient {
 public:
  using Clock = std::function<sip::SteadyClock::time_point()>;
  using ChangeCallback =
      std::function<void(const std::string& trunk, const RegistrationStatus& status)>;

  // `services` and `trunks` must outlive the client. `clock` (steady_clock by default) stamps the
  // times of RegistrationStatus and of remembered Retry-After values.
  RegistrationClient(SipServices& services, const std::vector<Trunk>& trunks,
                     ChangeCallback on_change = {}, RegistrationOptions options = {},
                     Clock clock = {});
  ~RegistrationClient();
  RegistrationClient(const RegistrationClient&) = delete;
  RegistrationClient& operator=(const RegistrationClient&) = delete;

  // Registers every trunk in registration mode.
  void start();
  // SIPconnect 16.4.2: a request to the trunk timed out, hit a transport error or got 403, so the
  // registration is assumed gone: register again now.
  void registration_lost(const std::string& trunk);
  // Removes every binding (REGISTER with Expires: 0) and stops; `done` runs once each has an
  // outcome (right away when none is registered).
  void stop(std::function<void()> done);

  // nullopt for trunks not in registration mode.
  std::optional<RegistrationStatus> status(const std::string& trunk) const;

 private:
  struct Binding;

  void begin(Binding& b);
  void send(Binding& b, std::optional<sip::DigestCredentials> credentials);
  void on_response(Binding& b, const sip::SipMessage& response);
  void on_challenge(Binding& b, const sip::SipMessage& response);
  void on_success(Binding& b, const sip::SipMessage& response);
  void on_overload(Binding& b, const sip::SipMessage& response);
  void on_unreachable(Binding& b, const std::string& reason);
  // A delivery-style failure: waits the current backoff (or `at_least`), then doubles it.
  void back_off(Binding& b, const std::string& reason,
                std::chrono::seconds at_least = std::chrono::seconds(0));
  // Reports the failure and starts over (resolving again) after `delay`.
  void fail(Binding& b, const std::string& reason, std::chrono::seconds delay);
  bool next_target(Binding& b);
  std::chrono::seconds earliest_retry(const Binding& b) const;
  void set_status(Binding& b, RegistrationStatus status);
  void schedule(Binding& b, sip::SteadyClock::duration delay, std::function<void()> action);
  void unregister(Binding& b);
  void unregistered(Binding& b);

  SipServices& services_;
  ChangeCallback on_change_;
  RegistrationOptions options_;
  Clock clock_;
  std::map<std::string, std::unique_ptr<Binding>, std::less<>> bindings_;
  bool stopping_ = false;
  unsigned unregistering_ = 0;
  std::function<void()> stopped_;
  // Transaction and resolver callbacks may outlive the client; they hold this weakly.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace trunkgate::cp
