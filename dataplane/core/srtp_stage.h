// The SRTP stage of a treated flow: SRTP/SRTCP unprotect of what arrives, protect of what leaves,
// in place in the packet buffer, with every failure mapped to the flow drop reason it is counted as.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"
#include "media/srtp/srtp_stream.h"

namespace trunkgate::dp {

// kFlowDropCount when the packet passed; otherwise why it is dropped.
using StageResult = channel::FlowDrop;
inline constexpr StageResult kStagePass = channel::kFlowDropCount;

// `len` is the UDP payload length in and out.
StageResult srtp_unprotect_stage(media::AesHmacEngine& engine, media::SrtpStream& stream,
                                 uint8_t* packet, uint16_t& len, bool rtcp);
// `capacity`: bytes available from `packet` (payload plus the buffer's tailroom).
StageResult srtp_protect_stage(media::AesHmacEngine& engine, media::SrtpStream& stream,
                               uint8_t* packet, uint16_t& len, uint32_t capacity, bool rtcp);

// The per-worker counter of a per-flow drop reason.
channel::WorkerDrop worker_drop_of(channel::FlowDrop drop);

}  // namespace trunkgate::dp
