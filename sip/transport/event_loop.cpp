#include "sip/transport/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace trunkgate::sip {
namespace {

constexpr int kMaxEventsPerWait = 64;
// Cancelled heap entries tolerated beyond the live timers before the heap is rebuilt.
constexpr std::size_t kHeapSlack = 1024;

[[noreturn]] void ThrowErrno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) ThrowErrno("epoll_create1");
}

EventLoop::~EventLoop() {
  close(epoll_fd_);
}

void EventLoop::Watch(int fd, std::uint32_t events, IoCallback callback) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) ThrowErrno("epoll_ctl add");
  io_[fd] = std::move(callback);
}

void EventLoop::Modify(int fd, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) != 0) ThrowErrno("epoll_ctl mod");
}

void EventLoop::Unwatch(int fd) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  io_.erase(fd);
}

TimerId EventLoop::AddTimer(SteadyClock::duration delay, TimerCallback callback) {
  const TimerId id = next_timer_id_++;
  heap_.push_back({SteadyClock::now() + delay, id});
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
  timers_.emplace(id, std::move(callback));
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  timers_.erase(id);
  if (heap_.size() > 2 * timers_.size() + kHeapSlack) CompactHeap();
}

void EventLoop::CompactHeap() {
  std::erase_if(heap_, [this](const Deadline& d) { return !timers_.contains(d.id); });
  std::make_heap(heap_.begin(), heap_.end(), std::greater<>());
}

int EventLoop::WaitMillis(SteadyClock::duration max_wait) const {
  auto wait = max_wait;
  if (!heap_.empty()) wait = std::min(wait, heap_.front().when - SteadyClock::now());
  if (wait <= SteadyClock::duration::zero()) return 0;
  // Round up so that a timer is never polled a millisecond early in a busy loop.
  const auto millis = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return static_cast<int>(std::min<long long>(millis, 60'000));
}

void EventLoop::RunOnce(SteadyClock::duration max_wait) {
  epoll_event events[kMaxEventsPerWait];
  const int count = epoll_wait(epoll_fd_, events, kMaxEventsPerWait, WaitMillis(max_wait));
  if (count < 0 && errno != EINTR) ThrowErrno("epoll_wait");
  for (int i = 0; i < count; ++i) {
    // Look the callback up per event: an earlier callback may have unwatched this fd.
    const auto it = io_.find(events[i].data.fd);
    if (it == io_.end()) continue;
    IoCallback callback = it->second;  // a copy survives Unwatch() inside the callback
    callback(events[i].events);
  }
  RunDueTimers();
}

void EventLoop::RunDueTimers() {
  const auto now = SteadyClock::now();
  while (!heap_.empty() && heap_.front().when <= now) {
    const TimerId id = heap_.front().id;
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    heap_.pop_back();
    const auto it = timers_.find(id);
    if (it == timers_.end()) continue;  // cancelled
    TimerCallback callback = std::move(it->second);
    timers_.erase(it);
    callback();
  }
}

bool EventLoop::RunUntil(const std::function<bool()>& done, SteadyClock::time_point deadline) {
  while (!done()) {
    const auto now = SteadyClock::now();
    if (now >= deadline) return false;
    RunOnce(deadline - now);
  }
  return true;
}

}  // namespace trunkgate::sip
