// Call events from the loop thread to the gRPC threads serving Watch streams. Each watcher has a
// bounded queue: a watcher that reads too slowly loses the oldest events (counted, and reported
// in the next event it gets), it never makes the loop wait or grow memory without bound.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "mgmt/trunkgate.pb.h"

namespace trunkgate::mgmt {

class EventHub {
 public:
  static constexpr size_t kMaxQueued = 1024;

  class Watcher {
   public:
    // The next event, or nullopt after `wait` without one (or once closed).
    std::optional<v1::CallEvent> next(std::chrono::milliseconds wait);
    bool closed() const;

   private:
    friend class EventHub;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<v1::CallEvent> queue_;
    uint64_t lost_ = 0;
    bool closed_ = false;
  };

  std::shared_ptr<Watcher> subscribe();      // any thread; dropped by releasing the pointer
  void publish(const v1::CallEvent& event);  // loop thread
  void close_all();                          // watchers' next() returns nullopt from now on
  size_t watchers() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<Watcher>> watchers_;
};

}  // namespace trunkgate::mgmt
