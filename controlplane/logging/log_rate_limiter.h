// A bound on how many log lines one kind of event may write: at most `lines` per `interval`;
// the rest are counted, and once the interval is over the count is handed back once, for one
// summary line. Time is passed in, so tests drive it by hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace trunkgate::cp {

class LogRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  LogRateLimiter(unsigned lines, Clock::duration interval) : lines_(lines), interval_(interval) {}

  // How many lines the intervals that ended by `now` suppressed, once; nullopt when none were.
  // Call it before allow() so that the summary precedes the next interval's lines, and now and
  // then without events, so that the last burst gets its summary too.
  std::optional<uint64_t> take_suppressed(Clock::time_point now);
  // True when a line may be written at `now`; false when it is suppressed (and counted).
  bool allow(Clock::time_point now);

  uint64_t suppressed_total() const { return suppressed_total_; }

 private:
  // Starts a new interval at `now` when the current one is over.
  void roll(Clock::time_point now);

  unsigned lines_;
  Clock::duration interval_;
  bool started_ = false;
  Clock::time_point interval_start_{};
  unsigned written_ = 0;     // in the current interval
  uint64_t suppressed_ = 0;  // in the current interval
  uint64_t unreported_ = 0;  // suppressed in intervals that ended, not yet taken
  uint64_t suppressed_total_ = 0;
};

}  // namespace trunkgate::cp
