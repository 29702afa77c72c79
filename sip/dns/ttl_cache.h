// A bounded cache whose entries expire with their DNS TTL (capped by max_ttl). When full, the
// entry closest to expiry makes room. The clock is injectable for tests.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "sip/transport/event_loop.h"

namespace trunkgate::sip {

template <class Value>
class TtlCache {
 public:
  using Clock = std::function<SteadyClock::time_point()>;

  TtlCache(std::size_t capacity, std::chrono::seconds max_ttl, Clock clock = SteadyClock::now)
      : capacity_(capacity), max_ttl_(max_ttl), clock_(std::move(clock)) {}

  std::optional<Value> Get(const std::string& key) {
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (it->second.expires <= clock_()) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.value;
  }

  void Put(const std::string& key, Value value, std::chrono::seconds ttl) {
    if (capacity_ == 0 || ttl.count() <= 0) return;
    if (!entries_.contains(key) && entries_.size() >= capacity_) EvictOne();
    entries_.insert_or_assign(key, Entry{std::move(value), clock_() + std::min(ttl, max_ttl_)});
  }

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Value value;
    SteadyClock::time_point expires;
  };

  void EvictOne() {
    const auto soonest = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
      return a.second.expires < b.second.expires;
    });
    if (soonest != entries_.end()) entries_.erase(soonest);
  }

  std::size_t capacity_;
  std::chrono::seconds max_ttl_;
  Clock clock_;
  std::map<std::string, Entry> entries_;
};

}  // namespace trunkgate::sip
