#include "sip/transport/loop_task_queue.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace trunkgate::sip {

LoopTaskQueue::LoopTaskQueue(EventLoop& loop)
    : loop_(loop), event_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (event_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  loop_.Watch(event_fd_, EPOLLIN, [this](uint32_t) { drain(); });
}

LoopTaskQueue::~LoopTaskQueue() {
  loop_.Unwatch(event_fd_);
  ::close(event_fd_);
}

bool LoopTaskQueue::post(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    tasks_.push_back(std::move(task));
  }
  const uint64_t one = 1;
  // EAGAIN means the counter is already non-zero: the loop will wake anyway.
  [[maybe_unused]] ssize_t n = ::write(event_fd_, &one, sizeof(one));
  return true;
}

void LoopTaskQueue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  tasks_.clear();
}

// Takes the whole queue under the lock, then runs it unlocked, so a task may post another (it runs
// on the next wake-up, not in this pass: a task that reposts itself cannot starve the loop).
void LoopTaskQueue::drain() {
  uint64_t count = 0;
  [[maybe_unused]] ssize_t n = ::read(event_fd_, &count, sizeof(count));
  std::deque<Task> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(tasks_);
  }
  for (Task& task : batch) {
    task();
    ++ran_;
  }
}

}  // namespace trunkgate::sip
