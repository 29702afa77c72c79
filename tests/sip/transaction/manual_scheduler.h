// Test doubles for the transaction layer's inputs: a clock the test advances by hand, and a
// transport sink that records what the transactions send.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sip/message/message.h"
#include "sip/transaction/timer_scheduler.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::sip::testing {

class ManualScheduler final : public TimerScheduler {
 public:
  TimerId Schedule(SteadyClock::duration delay, std::function<void()> callback) override {
    const TimerId id = next_id_++;
    timers_.emplace(std::make_pair(now_ + delay, id), std::move(callback));
    return id;
  }
  void Cancel(TimerId id) override {
    std::erase_if(timers_, [id](const auto& entry) { return entry.first.second == id; });
  }
  // Moves the clock forward, running every timer that falls due, in deadline order.
  void Advance(SteadyClock::duration by) {
    const auto until = now_ + by;
    while (!timers_.empty() && timers_.begin()->first.first <= until) {
      auto node = timers_.extract(timers_.begin());
      now_ = node.key().first;
      node.mapped()();
    }
    now_ = until;
  }
  std::size_t pending() const { return timers_.size(); }

 private:
  SteadyClock::duration now_{};
  TimerId next_id_ = 1;
  std::map<std::pair<SteadyClock::duration, TimerId>, std::function<void()>> timers_;
};

class RecordingSender final : public MessageSender {
 public:
  bool Send(const TransportTarget& target, std::string_view bytes) override {
    targets.push_back(target);
    sent.emplace_back(bytes);
    return !fail;
  }
  SipMessage Last() const { return SipMessage::parse(sent.back()).value(); }
  std::size_t Count(std::string_view start) const {
    std::size_t n = 0;
    for (const auto& s : sent) n += s.starts_with(start);
    return n;
  }

  std::vector<std::string> sent;
  std::vector<TransportTarget> targets;
  bool fail = false;
};

}  // namespace trunkgate::sip::testing
