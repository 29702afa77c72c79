// A worker's state for one flow. The first two cache lines hold everything a forwarded packet
// touches (headers to send, next hop, counters); the rest is read on commands and timeouts.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"
#include "dataplane/core/header_template.h"
#include "dataplane/core/neighbor_table.h"
#include "dataplane/core/rtp_translation.h"
#include "media/dtmf/telephone_event_receiver.h"

namespace trunkgate::dp {

// Worker-internal bits in FlowEntry::flags, above every channel::FlowFlags bit (commands carrying
// them are refused), so the hot line alone tells the relay path whether a flow is treated.
inline constexpr uint32_t kEntryTreated = 1u << 31;  // `treatment` holds a TreatmentPool slot
inline constexpr uint32_t kEntrySrtpIn = 1u << 30;   // packets arrive SRTP/SRTCP-protected
inline constexpr uint32_t kEntryHolding = 1u << 29;  // `held` > 0: later packets queue behind
inline constexpr uint32_t kEntryInternalFlags = kEntryTreated | kEntrySrtpIn | kEntryHolding;
static_assert((channel::kFlowAllFlags & kEntryInternalFlags) == 0);

struct alignas(64) FlowEntry {
  // --- hot: every packet
  HeaderTemplate tmpl;
  int32_t neighbor;        // NeighborTable index, NeighborTable::kNone until known
  uint32_t flags;          // channel::FlowFlags | kEntry* bits
  uint16_t out_port;       // DPDK port id
  uint8_t tx_offload;      // the out port completes checksums
  uint8_t latched;
  uint64_t last_seen_tsc;
  uint64_t packets;  // sent
  uint64_t bytes;
  uint64_t received;  // arrived (transcoding makes it differ from `packets`)
  // --- warm: translation and RTCP
  RtpTranslation xlate;
  int32_t treatment;       // TreatmentPool slot, valid with kEntryTreated
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
  uint16_t held;             // packets of this flow waiting for its next hop (NeighborWait)
  uint8_t in_use;
  media::TelephoneEventReceiver events;  // kFlowReportEvents: the event being reported
};

}  // namespace trunkgate::dp
