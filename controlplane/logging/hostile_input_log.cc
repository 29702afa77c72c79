#include "controlplane/logging/hostile_input_log.h"

namespace trunkgate::cp {

HostileInputLog::HostileInputLog(unsigned lines_per_interval, std::chrono::seconds interval)
    : interval_(interval),
      limiters_{LogRateLimiter(lines_per_interval, interval),
                LogRateLimiter(lines_per_interval, interval),
                LogRateLimiter(lines_per_interval, interval)} {}

void HostileInputLog::summarize(HostileInput kind, LogRateLimiter::Clock::time_point now) {
  if (auto n = limiter(kind).take_suppressed(now)) {
    logkv::warn("hostile input lines suppressed", "input",
                kHostileInputNames[static_cast<size_t>(kind)], "suppressed", *n, "interval_s",
                interval_.count());
  }
}

void HostileInputLog::flush(LogRateLimiter::Clock::time_point now) {
  for (size_t k = 0; k < kHostileInputKinds; ++k) summarize(static_cast<HostileInput>(k), now);
}

}  // namespace trunkgate::cp
