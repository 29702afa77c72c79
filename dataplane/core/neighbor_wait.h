// Media packets whose next hop is still being resolved (ARP/ND), held briefly instead of dropped.
// A call's first RTP packets often arrive while the gateway is still asking for the peer's MAC:
// the control plane programs a flow and answers the SDP at once, and the far side starts sending.
// Holding them for up to kNeighborWaitMs loses none of them. Per worker, sized at init, FIFO so a
// flow's packets keep their order; a packet that waits too long, or finds the queue full, is
// dropped under no_neighbor as before.
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <vector>

#include "dataplane/channel/schema.h"
#include "dataplane/core/packet_parser.h"

namespace trunkgate::dp {

inline constexpr unsigned kNeighborWaitPackets = 256;  // per worker
inline constexpr unsigned kNeighborWaitMs = 200;       // ten 20 ms packets of one stream

struct HeldPacket {
  rte_mbuf* m;
  uint64_t since_tsc;
  channel::FlowKey key;  // the flow is looked up again on release: it may be gone by then
  ParsedPacket parsed;   // points into m's data, which nothing touches while it is held
  bool rtcp;
};

class NeighborWait {
 public:
  void init(unsigned capacity) {
    capacity_ = capacity;
    held_.reserve(capacity);
  }
  bool empty() const { return held_.empty(); }
  bool full() const { return held_.size() >= capacity_; }
  size_t size() const { return held_.size(); }
  void hold(const HeldPacket& p) { held_.push_back(p); }  // callers check full() first

  // Offers every held packet, oldest first, to `take(HeldPacket&)`, which returns true when it
  // has released or dropped the packet and false to keep holding it. Kept packets keep their order.
  template <typename Take>
  void offer(Take&& take) {
    size_t kept = 0;
    for (size_t i = 0; i < held_.size(); ++i)
      if (!take(held_[i])) held_[kept++] = held_[i];
    held_.resize(kept);
  }

 private:
  std::vector<HeldPacket> held_;
  unsigned capacity_ = 0;
};

}  // namespace trunkgate::dp
