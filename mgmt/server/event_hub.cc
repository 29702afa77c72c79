#include "mgmt/server/event_hub.h"

#include <algorithm>

namespace trunkgate::mgmt {

std::optional<v1::CallEvent> EventHub::Watcher::next(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, wait, [this] { return closed_ || !queue_.empty(); });
  if (closed_ || queue_.empty()) return std::nullopt;
  v1::CallEvent e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

bool EventHub::Watcher::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::shared_ptr<EventHub::Watcher> EventHub::subscribe() {
  auto w = std::make_shared<Watcher>();
  std::lock_guard lock(mutex_);
  watchers_.push_back(w);
  return w;
}

void EventHub::publish(const v1::CallEvent& event) {
  std::lock_guard lock(mutex_);
  std::erase_if(watchers_, [](const std::weak_ptr<Watcher>& w) { return w.expired(); });
  for (const auto& weak : watchers_) {
    auto w = weak.lock();
    if (!w) continue;
    {
      std::lock_guard wl(w->mutex_);
      if (w->queue_.size() >= kMaxQueued) {
        w->queue_.pop_front();
        ++w->lost_;
      }
      w->queue_.push_back(event);
      w->queue_.back().set_lost_before(w->lost_);
    }
    w->ready_.notify_one();
  }
}

void EventHub::close_all() {
  std::lock_guard lock(mutex_);
  for (const auto& weak : watchers_) {
    if (auto w = weak.lock()) {
      {
        std::lock_guard wl(w->mutex_);
        w->closed_ = true;
      }
      w->ready_.notify_all();
    }
  }
}

size_t EventHub::watchers() const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(watchers_.begin(), watchers_.end(),
                                           [](const auto& w) { return !w.expired(); }));
}

}  // namespace trunkgate::mgmt
