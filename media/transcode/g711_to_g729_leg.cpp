#include "media/transcode/g711_to_g729_leg.h"

#include <algorithm>

namespace trunkgate::media {

bool G711ToG729Leg::configure(G711Law law, bool vad_dtx, const RtpLegConfig& out) {
  encoder_.emplace(vad_dtx);
  law_ = law;
  vad_dtx_ = vad_dtx;
  noise_.reset(out.ssrc | 1);
  return encoder_->valid() && packetizer_.configure(kG729Repack, out);
}

std::size_t G711ToG729Leg::encode(const int16_t* pcm, uint32_t timestamp,
                                  std::span<TranscodedPacket> out) {
  uint8_t frame[kG729FrameBytes];
  const G729EncodedFrame f = encoder_->encode(pcm, frame);
  return f.kind == G729FrameKind::untransmitted
             ? packetizer_.end_talkspurt(out)
             : packetizer_.add(std::span(frame, f.length), timestamp, out);
}

TranscodeError G711ToG729Leg::process(std::span<const uint8_t> payload, uint32_t timestamp,
                                      std::span<TranscodedPacket> out, std::size_t& written,
                                      PcmTap* tap) {
  written = 0;
  if (!encoder_) return TranscodeError::not_configured;
  if (payload.size() % kG729FrameSamples != 0) return TranscodeError::bad_payload;
  for (std::size_t at = 0; at < payload.size(); at += kG729FrameSamples) {
    int16_t pcm[kG729FrameSamples];
    g711_decode(law_, payload.subspan(at, kG729FrameSamples), pcm);
    const auto unit_timestamp = static_cast<uint32_t>(timestamp + at);  // 1 byte = 1 sample
    if (tap != nullptr) tap->on_pcm(pcm, kG729FrameSamples, unit_timestamp);
    written += encode(pcm, unit_timestamp, out.subspan(written));
  }
  return TranscodeError::ok;
}

std::size_t G711ToG729Leg::comfort_noise(uint8_t level, uint32_t timestamp, std::size_t samples,
                                         std::span<TranscodedPacket> out) {
  if (!encoder_) return 0;
  std::size_t written = packetizer_.end_talkspurt(out);
  if (!vad_dtx_) return written;  // plain DTX: the G.729 receiver's own comfort noise
  noise_.set_level(level);
  // Bounded: the CN packet covers at most 40 ms of encoder input here.
  const std::size_t frames = std::min<std::size_t>(samples / kG729FrameSamples, 4);
  for (std::size_t i = 0; i < frames; ++i) {
    int16_t pcm[kG729FrameSamples];
    noise_.render(pcm, kG729FrameSamples);
    written +=
        encode(pcm, static_cast<uint32_t>(timestamp + i * kG729FrameSamples), out.subspan(written));
  }
  return written;
}

}  // namespace trunkgate::media
