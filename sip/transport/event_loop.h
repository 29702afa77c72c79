// A single-threaded event loop: epoll for file descriptors, a binary heap for timers. Nothing in
// it blocks except epoll_wait, whose timeout is the next timer deadline; callbacks must not block.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace trunkgate::sip {

using SteadyClock = std::chrono::steady_clock;
using TimerId = std::uint64_t;

class EventLoop {
 public:
  // Receives the epoll event bits (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, ...).
  using IoCallback = std::function<void(std::uint32_t events)>;
  using TimerCallback = std::function<void()>;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void Watch(int fd, std::uint32_t events, IoCallback callback);
  void Modify(int fd, std::uint32_t events);
  // Safe to call from inside the fd's own callback.
  void Unwatch(int fd);

  TimerId AddTimer(SteadyClock::duration delay, TimerCallback callback);
  // Cancelling a timer that already ran or was cancelled is a no-op.
  void CancelTimer(TimerId id);

  // Waits at most `max_wait` for I/O, then runs the ready I/O callbacks and the due timers.
  void RunOnce(SteadyClock::duration max_wait);
  // Runs until `done()` holds or `deadline` passes; returns done(). For tests and tools that need
  // a bounded loop.
  bool RunUntil(const std::function<bool()>& done, SteadyClock::time_point deadline);

  std::size_t pending_timers() const { return timers_.size(); }
  std::size_t heap_size() const { return heap_.size(); }  // live and cancelled entries

 private:
  struct Deadline {
    SteadyClock::time_point when;
    TimerId id;
    bool operator>(const Deadline& other) const {
      return when != other.when ? when > other.when : id > other.id;
    }
  };

  void RunDueTimers();
  void CompactHeap();
  int WaitMillis(SteadyClock::duration max_wait) const;

  int epoll_fd_;
  std::unordered_map<int, IoCallback> io_;
  // Timers are cancelled lazily: the heap entry stays until it surfaces, without a callback, or
  // until cancelled entries outnumber live ones and CompactHeap() drops them.
  std::vector<Deadline> heap_;  // a min-heap by std::greater
  std::unordered_map<TimerId, TimerCallback> timers_;
  TimerId next_timer_id_ = 1;
};

}  // namespace trunkgate::sip
