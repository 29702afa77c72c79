#include "controlplane/media/port_space.h"

#include <algorithm>

#include "dataplane/channel/schema.h"

namespace trunkgate::cp {

PortSpace::PortSpace(uint16_t min, uint16_t max, unsigned workers)
    : min_(static_cast<uint16_t>(min + (min & 1))), free_(std::max(1u, workers)) {
  const unsigned n = static_cast<unsigned>(free_.size());
  // Highest ports first on each stack, so the lowest come out first (predictable for operators).
  for (int p = max - 1; p >= min_; --p) {
    if (p & 1) continue;
    free_[channel::owner_of_port(static_cast<uint16_t>(p), n)].push_back(static_cast<uint16_t>(p));
  }
  in_use_.assign(max >= min_ ? (max - min_) / 2 + 1 : 0, false);
}

std::optional<uint16_t> PortSpace::allocate_on(unsigned worker) {
  if (worker >= free_.size() || free_[worker].empty()) return std::nullopt;
  const uint16_t p = free_[worker].back();
  free_[worker].pop_back();
  in_use_[(p - min_) / 2] = true;
  return p;
}

bool PortSpace::release(uint16_t p) {
  if (p < min_ || (p & 1) || static_cast<size_t>((p - min_) / 2) >= in_use_.size() ||
      !in_use_[(p - min_) / 2])
    return false;
  in_use_[(p - min_) / 2] = false;
  free_[channel::owner_of_port(p, workers())].push_back(p);
  return true;
}

}  // namespace trunkgate::cp
