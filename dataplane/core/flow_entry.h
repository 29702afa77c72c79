// A worker's state for one flow. The first two cache lines hold everything a forwarded packet
// touches (headers to send, next hop, counters); the rest is read on commands and timeouts.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"
#include "dataplane/core/header_template.h"
#include "dataplane/core/neighbor_table.h"
#include "dataplane/core/rtp_translation.h"

namespace trunkgate::dp {

struct alignas(64) FlowEntry {
  // --- hot: every packet
  HeaderTemplate tmpl;
  int32_t neighbor;        // NeighborTable index, NeighborTable::kNone until known
  uint32_t flags;          // channel::FlowFlags
  uint16_t out_port;       // DPDK port id
  uint8_t tx_offload;      // the out port completes checksums
  uint8_t latched;
  uint64_t last_seen_tsc;
  uint64_t packets;
  uint64_t bytes;
  // --- warm: translation and RTCP
  RtpTranslation xlate;
  uint64_t rtcp_packets;
  uint64_t drops[channel::kFlowDropCount];
  // --- cold: control
  channel::FlowSpec spec;
  channel::Endpoint remote;  // current destination (spec.remote, or what a latch set)
  channel::Endpoint peer;    // latched source
  NeighborKey next_hop;
  uint64_t timeout_tsc;      // 0: no timeout
  uint8_t timed_out;         // reported; re-armed by the next packet
  uint8_t neighbor_requested;
  uint8_t in_use;
};

}  // namespace trunkgate::dp
