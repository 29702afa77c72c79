#include "controlplane/limits/call_limiter.h"

#include <algorithm>
#include <cmath>

namespace trunkgate::cp {

TokenBucket::TokenBucket(double per_second, double burst)
    : rate_(per_second), burst_(burst > 0 ? burst : std::max(1.0, per_second)), tokens_(burst_) {}

void TokenBucket::refill(Clock::time_point now) {
  if (last_ == Clock::time_point{}) last_ = now;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  if (elapsed > 0) {
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
}

bool TokenBucket::take(Clock::time_point now) {
  if (rate_ <= 0) return true;
  refill(now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

double TokenBucket::wait_seconds(Clock::time_point now) {
  if (rate_ <= 0) return 0;
  refill(now);
  return tokens_ >= 1 ? 0 : (1 - tokens_) / rate_;
}

const char* to_string(Admission a) {
  switch (a) {
    case Admission::kAdmitted: return "admitted";
    case Admission::kConcurrency: return "concurrent call limit";
    case Admission::kRate: return "call rate limit";
  }
  return "unknown";
}

CallLimiter::CallLimiter(const CallLimits& limits)
    : limits_(limits), bucket_(limits.max_cps, limits.cps_burst) {}

Admission CallLimiter::begin_call(bool emergency, TokenBucket::Clock::time_point now,
                                  unsigned& retry_after_s) {
  retry_after_s = 0;
  if (!emergency) {
    if (limits_.max_concurrent != 0 && active_ >= limits_.max_concurrent) {
      retry_after_s = 1;  // no way to know when a call ends: ask for a short wait
      return Admission::kConcurrency;
    }
    if (!bucket_.take(now)) {
      retry_after_s = static_cast<unsigned>(std::ceil(bucket_.wait_seconds(now)));
      retry_after_s = std::max(1u, retry_after_s);
      return Admission::kRate;
    }
  } else {
    bucket_.take(now);  // counts when a token is there; never blocks
  }
  ++active_;
  return Admission::kAdmitted;
}

void CallLimiter::set_limits(const CallLimits& limits) {
  limits_ = limits;
  bucket_ = TokenBucket(limits.max_cps, limits.cps_burst);
}

void CallLimiter::end_call() {
  if (active_ > 0) --active_;
}

}  // namespace trunkgate::cp
