#include "controlplane/logging/log_rate_limiter.h"

namespace trunkgate::cp {

void LogRateLimiter::roll(Clock::time_point now) {
  if (started_ && now - interval_start_ < interval_) return;
  started_ = true;
  interval_start_ = now;
  written_ = 0;
  unreported_ += suppressed_;
  suppressed_ = 0;
}

std::optional<uint64_t> LogRateLimiter::take_suppressed(Clock::time_point now) {
  roll(now);
  if (unreported_ == 0) return std::nullopt;
  const uint64_t n = unreported_;
  unreported_ = 0;
  return n;
}

bool LogRateLimiter::allow(Clock::time_point now) {
  roll(now);
  if (written_ < lines_) {
    ++written_;
    return true;
  }
  ++suppressed_;
  ++suppressed_total_;
  return false;
}

}  // namespace trunkgate::cp
