// The transcoding stage of a treated flow: one received RTP packet (already unprotected) through
// the flow's G.711 <-> G.729 leg, giving 0..N finished RTP packets of the outgoing stream; also the
// packets of other types that live in that stream (RFC 4733 events, RFC 3389 CN) and the silence
// timer that keeps a G.711 output continuous.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/core/dtmf_stage.h"
#include "dataplane/core/flow_treatment.h"
#include "dataplane/core/srtp_stage.h"

namespace trunkgate::dp {

// Enough output slots for any single input: the legs' own bound, a gap filled before the packet
// (kMaxSyncFillSamples at 10 ms ptime), and the event packets kTreatTonesToEvents adds.
inline constexpr std::size_t kMaxTranscodedPerPacket = media::G711ToG729Leg::kMaxPacketsPerCall +
                                                       kMaxSyncFillSamples / 80 +
                                                       media::DtmfInterworking::kMaxPendingPackets;

using TranscodedSpan = std::span<media::TranscodedPacket, kMaxTranscodedPerPacket>;

// Audio of transcode.in_pt is transcoded (through the DTMF interworking when enabled); a
// telephone-event packet of a flow with kTreatEventMap goes out renumbered as pt_map.event_out
// (marker kept); an RFC 3389 CN packet (kTreatComfortNoise, transcode.cn_pt, G.711 in) ends the
// G.729 talkspurt. Other payload types, payloads that are not whole 10 ms units and malformed CN
// are refused (kFlowDropTranscode); RTCP never comes here. now_tsc/ms_tsc arm the silence timer.
StageResult transcode_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len, uint64_t now_tsc,
                            uint64_t ms_tsc, TranscodedSpan out, std::size_t& written,
                            DtmfReports& reports);

// The silence timer of a G.729 -> G.711 flow whose input is late (fill_due_tsc passed): one
// outgoing ptime of concealment or comfort noise (none while a CN packet stands), timer advanced.
void fill_stage(FlowTreatment& t, uint64_t ms_tsc, TranscodedSpan out, std::size_t& written,
                DtmfReports& reports);

}  // namespace trunkgate::dp
