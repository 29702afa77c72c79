#include "media/transcode/g711_to_g729_leg.h"

namespace trunkgate::media {

bool G711ToG729Leg::configure(G711Law law, bool vad_dtx, const RtpLegConfig& out) {
  encoder_.emplace(vad_dtx);
  law_ = law;
  return encoder_->valid() && packetizer_.configure(kG729Repack, out);
}

TranscodeError G711ToG729Leg::process(std::span<const uint8_t> payload, uint32_t timestamp,
                                      std::span<TranscodedPacket> out, std::size_t& written) {
  written = 0;
  if (!encoder_) return TranscodeError::not_configured;
  if (payload.size() % kG729FrameSamples != 0) return TranscodeError::bad_payload;
  for (std::size_t at = 0; at < payload.size(); at += kG729FrameSamples) {
    int16_t pcm[kG729FrameSamples];
    g711_decode(law_, payload.subspan(at, kG729FrameSamples), pcm);
    uint8_t frame[kG729FrameBytes];
    const G729EncodedFrame f = encoder_->encode(pcm, frame);
    const auto unit_timestamp = static_cast<uint32_t>(timestamp + at);  // 1 byte = 1 sample
    written += f.kind == G729FrameKind::untransmitted
                   ? packetizer_.end_talkspurt(out.subspan(written))
                   : packetizer_.add(std::span(frame, f.length), unit_timestamp, out.subspan(written));
  }
  return TranscodeError::ok;
}

}  // namespace trunkgate::media
