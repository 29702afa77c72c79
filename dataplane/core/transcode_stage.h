// The transcoding stage of a treated flow: one received RTP packet (already unprotected) through
// the flow's G.711 <-> G.729 leg, giving 0..N finished RTP packets of the outgoing stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/core/flow_treatment.h"
#include "dataplane/core/srtp_stage.h"

namespace trunkgate::dp {

// Enough output slots for any single input (the legs' own bound).
inline constexpr std::size_t kMaxTranscodedPerPacket = media::G711ToG729Leg::kMaxPacketsPerCall;

// Packets of another payload type than transcode.in_pt, and payloads that are not whole 10 ms
// units, are refused (kFlowDropTranscode); RTCP never comes here.
StageResult transcode_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len,
                            std::span<media::TranscodedPacket, kMaxTranscodedPerPacket> out,
                            std::size_t& written);

}  // namespace trunkgate::dp
