#include "sip/dialog/session_timer.h"

#include <algorithm>
#include <string>

namespace trunkgate::sip {
namespace {

std::string_view RefresherName(Refresher refresher) {
  return refresher == Refresher::kUac ? "uac" : "uas";
}

std::optional<Refresher> ParseRefresher(std::string_view text) {
  if (text == "uac") return Refresher::kUac;
  if (text == "uas") return Refresher::kUas;
  return std::nullopt;
}

}  // namespace

UasSessionTimerDecision DecideAsUas(const SipMessage& request, const SessionTimerConfig& config) {
  UasSessionTimerDecision decision;
  decision.peer_supports_timer = request.has_option_tag(HeaderId::kSupported, "timer") ||
                                 request.has_option_tag(HeaderId::kRequire, "timer");
  const auto requested = request.session_expires();
  if (!requested.ok()) {
    // The UAC asked for nothing; we may still run a timer, refreshing it ourselves unless the
    // UAC can (section 9).
    decision.agreement = SessionTimerAgreement{
        config.session_expires, decision.peer_supports_timer ? Refresher::kUac : Refresher::kUas};
    return decision;
  }
  if (requested->seconds < config.min_se) {
    decision.reject_with_min_se = config.min_se;
    return decision;
  }
  const auto peer_min_se = request.min_se();
  const std::uint32_t floor = std::max(config.min_se, peer_min_se.ok() ? *peer_min_se : 0u);
  // We may shorten the interval, never below either side's minimum.
  const std::uint32_t interval =
      std::max(floor, std::min(requested->seconds, config.session_expires));
  Refresher refresher = decision.peer_supports_timer ? Refresher::kUac : Refresher::kUas;
  if (auto chosen = ParseRefresher(requested->refresher())) refresher = *chosen;
  decision.agreement = SessionTimerAgreement{interval, refresher};
  return decision;
}

void ApplyToResponse(const UasSessionTimerDecision& decision, SipMessage& response) {
  if (!decision.agreement) return;
  // Without Supported: timer from the UAC, only the UAS can refresh (section 9).
  if (!decision.peer_supports_timer && decision.agreement->refresher == Refresher::kUac) return;
  response.set_header(HeaderId::kSessionExpires,
                      std::to_string(decision.agreement->interval) + ";refresher=" +
                          std::string(RefresherName(decision.agreement->refresher)));
  if (decision.peer_supports_timer) response.add_header(HeaderId::kRequire, "timer");
}

void ApplyToRequest(const SessionTimerConfig& config, SipMessage& request) {
  request.add_header(HeaderId::kSupported, "timer");
  request.set_header(HeaderId::kSessionExpires, std::to_string(config.session_expires));
  request.set_header(HeaderId::kMinSE, std::to_string(config.min_se));
}

std::optional<SessionTimerConfig> RetryAfter422(const SessionTimerConfig& config,
                                                const SipMessage& response) {
  const auto min_se = response.min_se();
  if (response.status_code() != 422 || !min_se.ok()) return std::nullopt;
  SessionTimerConfig retry = config;
  retry.min_se = std::max(config.min_se, *min_se);
  retry.session_expires = std::max(config.session_expires, retry.min_se);
  return retry;
}

std::optional<SessionTimerAgreement> AgreementFromResponse(const SipMessage& response) {
  const auto expires = response.session_expires();
  if (!expires.ok()) return std::nullopt;
  // A 2xx without refresher leaves the refresh to the UAC (section 7.2).
  return SessionTimerAgreement{expires->seconds,
                               ParseRefresher(expires->refresher()).value_or(Refresher::kUac)};
}

SessionTimer::SessionTimer(TimerScheduler& scheduler, std::function<void()> on_refresh_due,
                           std::function<void()> on_expired)
    : on_refresh_due_(std::move(on_refresh_due)),
      on_expired_(std::move(on_expired)),
      timer_(scheduler) {}

void SessionTimer::Start(const SessionTimerAgreement& agreement, bool we_refresh) {
  using std::chrono::seconds;
  if (we_refresh) {
    timer_.Start(seconds(agreement.interval / 2), [this] { on_refresh_due_(); });
    return;
  }
  const std::uint32_t margin = std::min<std::uint32_t>(32, agreement.interval / 3);
  timer_.Start(seconds(agreement.interval - margin), [this] { on_expired_(); });
}

}  // namespace trunkgate::sip
