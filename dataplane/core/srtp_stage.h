// The SRTP stage of treated flows: SRTP/SRTCP unprotect of what arrives, protect of what leaves,
// a burst at a time, in place in the packet buffers, with every failure mapped to the flow drop
// reason it is counted as.
#pragma once

#include <cstdint>
#include <span>

#include "dataplane/channel/schema.h"
#include "media/srtp/srtp_stream.h"

namespace trunkgate::dp {

// kFlowDropCount when the packet passed; otherwise why it is dropped.
using StageResult = channel::FlowDrop;
inline constexpr StageResult kStagePass = channel::kFlowDropCount;

// One packet of a burst: its UDP payload and the stream (direction) of its flow.
struct SrtpStageItem {
  media::SrtpStream* stream = nullptr;
  uint8_t* packet = nullptr;
  uint16_t len = 0;       // UDP payload length in, and out when it passed
  uint32_t capacity = 0;  // protect: bytes available from packet (payload plus tailroom)
  bool rtcp = false;
  StageResult result = kStagePass;
};

// SRTP packets go through IPsec-MB together (media::srtp_*_burst; several flows, and several
// packets of one flow, may share a burst, with the verdicts and state of one call per packet in
// burst order); SRTCP packets, rare, one at a time. Their state is apart from SRTP's, so the
// order between the two does not matter.
void srtp_unprotect_burst_stage(media::AesHmacEngine& engine, std::span<SrtpStageItem> items);
void srtp_protect_burst_stage(media::AesHmacEngine& engine, std::span<SrtpStageItem> items);

// The per-worker counter of a per-flow drop reason.
channel::WorkerDrop worker_drop_of(channel::FlowDrop drop);

}  // namespace trunkgate::dp
