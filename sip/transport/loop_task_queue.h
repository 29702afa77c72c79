// Runs work posted from other threads on an EventLoop's thread: post() queues a task and wakes the
// loop through an eventfd; the loop runs every queued task from its I/O callback. The loop itself
// is not thread-safe, so this is the one door into it for threads such as a gRPC server's.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

#include "sip/transport/event_loop.h"

namespace trunkgate::sip {

class LoopTaskQueue {
 public:
  using Task = std::function<void()>;

  // Watches its eventfd on `loop`; `loop` must outlive the queue. Throws std::system_error when
  // the eventfd cannot be created.
  explicit LoopTaskQueue(EventLoop& loop);
  ~LoopTaskQueue();
  LoopTaskQueue(const LoopTaskQueue&) = delete;
  LoopTaskQueue& operator=(const LoopTaskQueue&) = delete;

  // Thread-safe. The task runs on the loop's thread, in posting order, during a later RunOnce.
  // False (the task is dropped) once close() was called.
  bool post(Task task);
  // Refuses further tasks; tasks already queued are dropped without running (their owners see
  // their own deadline pass). Called on the loop's thread before the loop stops running.
  void close();
  // Tasks run so far (loop thread only).
  std::size_t ran() const { return ran_; }

 private:
  void drain();

  EventLoop& loop_;
  int event_fd_;
  std::mutex mutex_;
  std::deque<Task> tasks_;  // guarded by mutex_
  bool closed_ = false;     // guarded by mutex_
  std::size_t ran_ = 0;
};

}  // namespace trunkgate::sip
