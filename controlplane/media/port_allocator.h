// Local UDP ports for media. A stream takes an even RTP port and the odd RTCP port above it. A
// call's legs must sit on the same data-plane worker (latching on one leg retargets the other
// leg's flow, and only the owning worker may touch a flow), so ports are handed out per worker:
// owner_of_port(port) = (port >> 1) % workers, shared with the data plane through its schema.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace trunkgate::cp {

class MediaPortAllocator {
 public:
  // RTP ports are the even ports of [min, max - 1]; `workers` >= 1.
  MediaPortAllocator(uint16_t min, uint16_t max, unsigned workers);

  struct Pair {
    unsigned worker;
    uint16_t a;  // RTP port of one leg
    uint16_t b;  // RTP port of the other leg
  };
  // Two RTP ports on one worker, spreading calls over workers; nullopt when none has two free.
  std::optional<Pair> allocate_pair();
  // One more RTP port on a given worker (a stream added by re-INVITE).
  std::optional<uint16_t> allocate_on(unsigned worker);
  // False for a port that is not allocated (double release, or not ours).
  bool release(uint16_t rtp_port);

  size_t free_ports(unsigned worker) const { return free_[worker].size(); }
  unsigned workers() const { return static_cast<unsigned>(free_.size()); }

 private:
  uint16_t min_;
  std::vector<std::vector<uint16_t>> free_;  // per worker, used as a stack
  std::vector<bool> in_use_;                 // by (port - min) / 2
  unsigned next_worker_ = 0;
};

}  // namespace trunkgate::cp
