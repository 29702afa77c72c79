// How transactions start and stop their timers. In production the event loop runs them; unit
// tests drive a manual clock, since the timers are the transaction layer's inputs.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>

#include "sip/transport/event_loop.h"

namespace trunkgate::sip {

class TimerScheduler {
 public:
  virtual ~TimerScheduler() = default;
  virtual TimerId Schedule(SteadyClock::duration delay, std::function<void()> callback) = 0;
  virtual void Cancel(TimerId id) = 0;
};

class EventLoopScheduler final : public TimerScheduler {
 public:
  explicit EventLoopScheduler(EventLoop& loop) : loop_(loop) {}
  TimerId Schedule(SteadyClock::duration delay, std::function<void()> callback) override {
    return loop_.AddTimer(delay, std::move(callback));
  }
  void Cancel(TimerId id) override { loop_.CancelTimer(id); }

 private:
  EventLoop& loop_;
};

// RFC 3261 17.1.1.1 and table 4; all configurable per trunk.
struct TransactionTimers {
  std::chrono::milliseconds t1{500};   // RTT estimate
  std::chrono::milliseconds t2{4000};  // longest retransmit interval for non-INVITE / responses
  std::chrono::milliseconds t4{5000};  // how long a message may linger in the network
  std::chrono::milliseconds timeout() const { return 64 * t1; }  // timers B, F, H, J, L, M
  // Timer D: at least 32 s (17.1.1.2), and no shorter than the others when T1 is raised.
  std::chrono::milliseconds timer_d() const {
    return std::max(std::chrono::milliseconds(32000), timeout());
  }
};

}  // namespace trunkgate::sip
