#include "controlplane/media/port_allocator.h"

#include <algorithm>
#include <cstring>

namespace trunkgate::cp {

bool same_address(const channel::IpAddr& a, const channel::IpAddr& b) {
  return a.family == b.family &&
         std::memcmp(a.bytes, b.bytes, a.family == channel::Family::kIPv4 ? 4 : 16) == 0;
}

bool keys_port(const channel::FlowKey& key, const MediaPort& port) {
  return same_address(key.addr, port.address) && (key.port & ~1u) == port.rtp_port;
}

MediaPortAllocator::MediaPortAllocator(uint16_t min, uint16_t max, unsigned workers)
    : min_(min), max_(max), workers_(std::max(1u, workers)) {}

PortSpace& MediaPortAllocator::space(const channel::IpAddr& address) {
  std::array<uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), address.bytes, address.family == channel::Family::kIPv4 ? 4 : 16);
  return spaces_.try_emplace({address.family, bytes}, min_, max_, workers_).first->second;
}

size_t MediaPortAllocator::free_ports(const channel::IpAddr& address, unsigned worker) {
  return worker < workers_ ? space(address).free_ports(worker) : 0;
}

std::optional<MediaPort> MediaPortAllocator::allocate(std::span<const channel::IpAddr> addresses) {
  for (unsigned i = 0; i < workers_; ++i) {
    const unsigned w = (next_worker_ + i) % workers_;
    if (auto port = allocate_on(addresses, w)) {
      next_worker_ = (w + 1) % workers_;
      return port;
    }
  }
  return std::nullopt;
}

std::optional<MediaPort> MediaPortAllocator::allocate_on(std::span<const channel::IpAddr> addresses,
                                                         unsigned worker) {
  if (worker >= workers_) return std::nullopt;
  const channel::IpAddr* best = nullptr;
  size_t best_free = 0;
  for (const channel::IpAddr& a : addresses) {
    const size_t n = space(a).free_ports(worker);
    if (n > best_free) {
      best = &a;
      best_free = n;
    }
  }
  if (best == nullptr) return std::nullopt;
  return MediaPort{*best, *space(*best).allocate_on(worker), worker};
}

bool MediaPortAllocator::release(const MediaPort& port) {
  return space(port.address).release(port.rtp_port);
}

}  // namespace trunkgate::cp
