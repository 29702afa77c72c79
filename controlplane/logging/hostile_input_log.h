// Log lines about hostile or broken input (malformed SIP, requests from sources that match no
// trunk, failed authentication) are bounded: a flood from one peer must not fill the disk or
// drown every other line. Each kind has its own LogRateLimiter; what it suppresses is summarised
// in one line ("hostile input suppressed", with the count) once its interval is over, and
// counted for /metrics.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "controlplane/logging/log_fields.h"
#include "controlplane/logging/log_rate_limiter.h"

namespace trunkgate::cp {

enum class HostileInput : uint8_t { kMalformedSip = 0, kUnknownSource = 1, kAuthFailure = 2 };
inline constexpr size_t kHostileInputKinds = 3;
inline constexpr std::array<const char*, kHostileInputKinds> kHostileInputNames = {
    "malformed_sip", "unknown_source", "auth_failure"};

class HostileInputLog {
 public:
  HostileInputLog(unsigned lines_per_interval, std::chrono::seconds interval);

  // A warning `msg` with `input=<kind>` and the fields, unless this kind is over its bound.
  template <typename... Fields>
  void report(HostileInput kind, std::string_view msg, const Fields&... fields) {
    const auto now = LogRateLimiter::Clock::now();
    summarize(kind, now);
    if (limiter(kind).allow(now))
      logkv::warn(msg, "input", kHostileInputNames[static_cast<size_t>(kind)], fields...);
  }
  // Writes the summary of every kind whose interval is over (call it regularly: a burst that
  // stops still gets its summary).
  void flush(LogRateLimiter::Clock::time_point now);

  uint64_t suppressed(HostileInput kind) const {
    return limiters_[static_cast<size_t>(kind)].suppressed_total();
  }

 private:
  LogRateLimiter& limiter(HostileInput kind) { return limiters_[static_cast<size_t>(kind)]; }
  void summarize(HostileInput kind, LogRateLimiter::Clock::time_point now);

  std::chrono::seconds interval_;
  std::array<LogRateLimiter, kHostileInputKinds> limiters_;
};

}  // namespace trunkgate::cp
