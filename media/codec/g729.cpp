#include "media/codec/g729.h"

// bcg729's headers have no C++ linkage guards.
extern "C" {
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
}

namespace trunkgate::media {

G729Encoder::G729Encoder(bool vad_dtx) : ctx_(initBcg729EncoderChannel(vad_dtx ? 1 : 0)) {}

G729Encoder::~G729Encoder() {
  if (ctx_ != nullptr) closeBcg729EncoderChannel(ctx_);
}

G729EncodedFrame G729Encoder::encode(const int16_t* pcm, uint8_t* out) {
  uint8_t length = 0;
  bcg729Encoder(ctx_, pcm, out, &length);
  G729EncodedFrame frame;
  frame.length = length;
  frame.kind = length == kG729FrameBytes ? G729FrameKind::speech
               : length == kG729SidBytes ? G729FrameKind::sid
                                         : G729FrameKind::untransmitted;
  return frame;
}

std::size_t G729Encoder::last_sid_as_rfc3389(uint8_t* out) {
  bcg729GetRFC3389Payload(ctx_, out);
  return 11;  // noise level + 10 reflection coefficients (bcg729 uses LP order 10)
}

G729Decoder::G729Decoder() : ctx_(initBcg729DecoderChannel()) {}

G729Decoder::~G729Decoder() {
  if (ctx_ != nullptr) closeBcg729DecoderChannel(ctx_);
}

void G729Decoder::decode_frame(std::span<const uint8_t> frame, int16_t* pcm) {
  const bool sid = frame.size() == kG729SidBytes;
  bcg729Decoder(ctx_, frame.data(), static_cast<uint8_t>(frame.size()), 0, sid ? 1 : 0, 0, pcm);
}

void G729Decoder::conceal(int16_t* pcm) { bcg729Decoder(ctx_, nullptr, 0, 1, 0, 0, pcm); }

void G729Decoder::decode_rfc3389(std::span<const uint8_t> cn_payload, int16_t* pcm) {
  if (cn_payload.empty() || cn_payload.size() > 255) {
    conceal(pcm);
    return;
  }
  bcg729Decoder(ctx_, cn_payload.data(), static_cast<uint8_t>(cn_payload.size()), 0, 1, 1, pcm);
}

G729PayloadError G729Decoder::decode_payload(std::span<const uint8_t> payload,
                                             std::span<int16_t> pcm, std::size_t& samples) {
  const std::size_t speech_frames = payload.size() / kG729FrameBytes;
  const std::size_t rest = payload.size() % kG729FrameBytes;
  if (rest != 0 && rest != kG729SidBytes) return G729PayloadError::bad_length;
  const std::size_t frames = speech_frames + (rest != 0 ? 1 : 0);
  if (frames * kG729FrameSamples > pcm.size()) return G729PayloadError::output_too_small;
  for (std::size_t f = 0; f < speech_frames; ++f)
    decode_frame(payload.subspan(f * kG729FrameBytes, kG729FrameBytes),
                 pcm.data() + f * kG729FrameSamples);
  if (rest != 0)
    decode_frame(payload.subspan(speech_frames * kG729FrameBytes),
                 pcm.data() + speech_frames * kG729FrameSamples);
  samples = frames * kG729FrameSamples;
  return G729PayloadError::ok;
}

}  // namespace trunkgate::media
