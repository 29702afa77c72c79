// What every transaction needs from its surroundings, and a timer owned by one transaction.
#pragma once

#include <functional>

#include "sip/transaction/timer_scheduler.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::sip {

struct TransactionContext {
  TimerScheduler& scheduler;
  MessageSender& sender;
  TransactionTimers timers;
  std::function<void()> on_terminated;  // the owner reaps the transaction later, never inside
};

// One named timer (A, B, ...) of a transaction; restarting replaces it, destruction cancels it.
class TransactionTimer {
 public:
  explicit TransactionTimer(TimerScheduler& scheduler) : scheduler_(scheduler) {}
  ~TransactionTimer() { Stop(); }
  TransactionTimer(const TransactionTimer&) = delete;
  TransactionTimer& operator=(const TransactionTimer&) = delete;

  void Start(SteadyClock::duration delay, std::function<void()> callback) {
    Stop();
    id_ = scheduler_.Schedule(delay, [this, callback = std::move(callback)] {
      id_ = 0;
      callback();
    });
  }
  void Stop() {
    if (id_ != 0) scheduler_.Cancel(id_);
    id_ = 0;
  }
  bool running() const { return id_ != 0; }

 private:
  TimerScheduler& scheduler_;
  TimerId id_ = 0;
};

}  // namespace trunkgate::sip
