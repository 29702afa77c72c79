#include "dataplane/core/transcode_stage.h"

#include "media/rtp/rtp_header.h"

namespace trunkgate::dp {

static_assert(media::G729ToG711Leg::kMaxPacketsPerCall <= kMaxTranscodedPerPacket);

StageResult transcode_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len,
                            std::span<media::TranscodedPacket, kMaxTranscodedPerPacket> out,
                            std::size_t& written) {
  written = 0;
  media::RtpHeader h;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok ||
      h.payload_type != t.spec.transcode.in_pt)
    return channel::kFlowDropTranscode;
  const std::span<const uint8_t> payload(rtp + h.header_length, h.payload_length);
  const media::TranscodeError e =
      t.to_g729 ? t.to_g729->process(payload, h.timestamp, out, written)
                : t.to_g711->process(payload, h.timestamp, out, written);
  return e == media::TranscodeError::ok ? kStagePass : channel::kFlowDropTranscode;
}

}  // namespace trunkgate::dp
