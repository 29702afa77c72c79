#include "media/transcode/g729_to_g711_leg.h"

#include "media/cn/comfort_noise.h"

namespace trunkgate::media {

bool G729ToG711Leg::configure(G711Law law, const RtpLegConfig& out, int cn_payload_type) {
  decoder_.emplace();
  law_ = law;
  cn_payload_type_ = cn_payload_type;
  in_dtx_ = false;
  return decoder_->valid() && packetizer_.configure(kG711Repack, out);
}

std::size_t G729ToG711Leg::send_pcm(int16_t* pcm, uint32_t timestamp,
                                    std::span<TranscodedPacket> out, PcmTap* tap) {
  if (tap != nullptr) tap->on_pcm(pcm, kG729FrameSamples, timestamp);
  uint8_t codes[kG729FrameSamples];
  g711_encode(law_, std::span(pcm, kG729FrameSamples), codes);
  return packetizer_.add(codes, timestamp, out);
}

TranscodeError G729ToG711Leg::process(std::span<const uint8_t> payload, uint32_t timestamp,
                                      std::span<TranscodedPacket> out, std::size_t& written,
                                      PcmTap* tap) {
  written = 0;
  if (!decoder_) return TranscodeError::not_configured;
  const std::size_t rest = payload.size() % kG729FrameBytes;
  if (rest != 0 && rest != kG729SidBytes) return TranscodeError::bad_payload;
  std::size_t at = 0;
  uint32_t ts = timestamp;
  for (; at + kG729FrameBytes <= payload.size(); at += kG729FrameBytes, ts += kG729FrameSamples) {
    int16_t pcm[kG729FrameSamples];
    decoder_->decode_frame(payload.subspan(at, kG729FrameBytes), pcm);
    written += send_pcm(pcm, ts, out.subspan(written), tap);
    in_dtx_ = false;
  }
  if (rest == 0) return TranscodeError::ok;
  int16_t noise[kG729FrameSamples];
  decoder_->decode_frame(payload.subspan(at), noise);
  in_dtx_ = true;
  if (cn_payload_type_ == kNoCn) {
    written += send_pcm(noise, ts, out.subspan(written), tap);
  } else {
    // One RFC 3389 packet carrying the level of the decoded comfort noise closes the talkspurt.
    written += packetizer_.end_talkspurt(out.subspan(written));
    uint8_t cn[1];
    write_cn_payload(noise_level_of(noise, kG729FrameSamples), cn);
    if (written < out.size() &&
        packetizer_.stamp_other(static_cast<uint8_t>(cn_payload_type_), cn, ts, out[written]))
      ++written;
  }
  return TranscodeError::ok;
}

TranscodeError G729ToG711Leg::fill(uint32_t timestamp, std::size_t samples,
                                   std::span<TranscodedPacket> out, std::size_t& written,
                                   PcmTap* tap) {
  written = 0;
  if (!decoder_) return TranscodeError::not_configured;
  if (samples % kG729FrameSamples != 0) return TranscodeError::bad_payload;
  if (in_dtx_ && cn_payload_type_ != kNoCn) return TranscodeError::ok;  // the CN packet stands
  for (std::size_t at = 0; at < samples; at += kG729FrameSamples) {
    int16_t pcm[kG729FrameSamples];
    decoder_->conceal(pcm);  // comfort noise after a SID, concealment after speech
    written += send_pcm(pcm, static_cast<uint32_t>(timestamp + at), out.subspan(written), tap);
  }
  return TranscodeError::ok;
}

}  // namespace trunkgate::media
