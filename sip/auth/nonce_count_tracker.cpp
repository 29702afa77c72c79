#include "sip/auth/nonce_count_tracker.h"

#include <limits>

namespace trunkgate::sip {

void NonceCountTracker::Remember(std::string nonce) {
  if (capacity_ == 0 || !last_nc_.emplace(nonce, 0).second) return;
  order_.push_back(std::move(nonce));
  if (order_.size() > capacity_) {
    last_nc_.erase(order_.front());
    order_.pop_front();
  }
}

NonceUse NonceCountTracker::Use(std::string_view nonce, std::uint32_t nc) {
  const auto it = last_nc_.find(std::string(nonce));
  if (it == last_nc_.end()) return NonceUse::kUnknown;
  if (nc <= it->second) return NonceUse::kReplayed;
  it->second = nc;
  return NonceUse::kFresh;
}

NonceUse NonceCountTracker::UseOnce(std::string_view nonce) {
  return Use(nonce, std::numeric_limits<std::uint32_t>::max());
}

}  // namespace trunkgate::sip
