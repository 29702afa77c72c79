// RFC 4028 session timers: negotiating the interval and the refresher on either side, the 422 /
// Min-SE exchange, and the timer that refreshes the session or ends it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "sip/message/message.h"
#include "sip/transaction/transaction_context.h"

namespace trunkgate::sip {

struct SessionTimerConfig {
  std::uint32_t session_expires = 1800;  // what we ask for (RFC 4028 recommends 1800 s)
  std::uint32_t min_se = 90;             // the shortest we accept; 90 s is the protocol floor
};

enum class Refresher { kUac, kUas };

struct SessionTimerAgreement {
  std::uint32_t interval = 0;
  Refresher refresher = Refresher::kUac;
};

// UAS side (section 9) for a session-creating or refreshing request.
struct UasSessionTimerDecision {
  std::optional<std::uint32_t> reject_with_min_se;  // answer 422 with this Min-SE
  std::optional<SessionTimerAgreement> agreement;   // none: the session runs without a timer
  bool peer_supports_timer = false;                 // decides Require: timer in the 2xx
};

UasSessionTimerDecision DecideAsUas(const SipMessage& request, const SessionTimerConfig& config);
// Adds Session-Expires (and Require: timer when the UAC supports it) to our 2xx.
void ApplyToResponse(const UasSessionTimerDecision& decision, SipMessage& response);

// UAC side (section 7): Supported: timer, Session-Expires and Min-SE on our INVITE/UPDATE.
void ApplyToRequest(const SessionTimerConfig& config, SipMessage& request);
// After a 422: the configuration to retry with (Session-Expires raised to the peer's Min-SE),
// or nullopt if the 422 carries no usable Min-SE.
std::optional<SessionTimerConfig> RetryAfter422(const SessionTimerConfig& config,
                                                const SipMessage& response);
// From the 2xx: the agreement, or nullopt when the UAS left Session-Expires out (no timer).
std::optional<SessionTimerAgreement> AgreementFromResponse(const SipMessage& response);

// Runs one side's session timer: the refresher refreshes at half the interval (section 10); the
// other side ends the session at interval - min(32, interval/3) without a refresh.
class SessionTimer {
 public:
  SessionTimer(TimerScheduler& scheduler, std::function<void()> on_refresh_due,
               std::function<void()> on_expired);

  // (Re)starts after each successful refresh; `we_refresh` says which role is ours.
  void Start(const SessionTimerAgreement& agreement, bool we_refresh);
  void Stop() { timer_.Stop(); }

 private:
  std::function<void()> on_refresh_due_;
  std::function<void()> on_expired_;
  TransactionTimer timer_;
};

}  // namespace trunkgate::sip
