// The in-band DTMF detection stage: a G.711 RTP packet arriving on the flow is decoded and fed to
// the flow's detector; digit starts and ends become reports for the control plane. The packet
// itself is not changed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dataplane/channel/schema.h"
#include "dataplane/core/flow_treatment.h"

namespace trunkgate::dp {

inline constexpr std::size_t kMaxDtmfReports = 16;

// `rtp` is a validated, unprotected RTP packet of `len` bytes. Packets of another payload type are
// ignored. Returns the number of reports written (at most out.size(); audio beyond what could be
// reported is not analysed, which only a hostile sender's oversized packet reaches).
std::size_t dtmf_detect_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len,
                              std::span<channel::DtmfReport, kMaxDtmfReports> out);

}  // namespace trunkgate::dp
