// The media ports of one local address: a stream takes an even RTP port and the odd RTCP port
// above it. Ports are kept per data-plane worker, owner_of_port(port) = (port >> 1) % workers
// (shared with the data plane through its schema), so a call's legs can be put on one worker.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace trunkgate::cp {

class PortSpace {
 public:
  // RTP ports are the even ports of [min, max - 1]; `workers` >= 1.
  PortSpace(uint16_t min, uint16_t max, unsigned workers);

  // An RTP port owned by `worker`; nullopt when it has none free.
  std::optional<uint16_t> allocate_on(unsigned worker);
  // False for a port that is not allocated (double release, or not ours).
  bool release(uint16_t rtp_port);

  size_t free_ports(unsigned worker) const { return free_[worker].size(); }
  unsigned workers() const { return static_cast<unsigned>(free_.size()); }

 private:
  uint16_t min_;
  std::vector<std::vector<uint16_t>> free_;  // per worker, used as a stack
  std::vector<bool> in_use_;                 // by (port - min) / 2
};

}  // namespace trunkgate::cp
