// Admission control for new calls: a concurrency cap and a call-rate cap (token bucket, calls per
// second with a burst), per trunk and for the whole gateway. Emergency calls are admitted past
// both (they still count, so they take capacity from ordinary calls). A refusal says which limit
// and how long until a retry can succeed, for the 503's Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace trunkgate::cp {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  // rate 0 disables the limit.
  TokenBucket(double per_second, double burst);
  bool take(Clock::time_point now);
  // Seconds until a token is available (0 if one is).
  double wait_seconds(Clock::time_point now);

 private:
  void refill(Clock::time_point now);
  double rate_, burst_, tokens_;
  Clock::time_point last_{};
};

struct CallLimits {
  unsigned max_concurrent = 0;  // 0: unlimited
  double max_cps = 0;           // 0: unlimited
  double cps_burst = 0;         // 0: one second's worth
};

enum class Admission { kAdmitted, kConcurrency, kRate };
const char* to_string(Admission a);

class CallLimiter {
 public:
  explicit CallLimiter(const CallLimits& limits);
  // On kAdmitted the call counts until end_call(). `retry_after_s` is set on refusals.
  Admission begin_call(bool emergency, TokenBucket::Clock::time_point now, unsigned& retry_after_s);
  void end_call();
  unsigned active() const { return active_; }
  // New limits (a configuration reload); calls in progress keep counting.
  void set_limits(const CallLimits& limits);

 private:
  CallLimits limits_;
  TokenBucket bucket_;
  unsigned active_ = 0;
};

}  // namespace trunkgate::cp
