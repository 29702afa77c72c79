#include "tools/mediapeer/audio_codec.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>

#include "media/codec/g711.h"

namespace trunkgate::mediapeer {
namespace {

constexpr std::size_t kG729FrameSamples = 80;  // 10 ms
constexpr std::size_t kG729FrameBytes = 10;
constexpr std::size_t kG729SidBytes = 2;
constexpr double kToneAmplitude = 8000;  // about -12 dBm0: well inside every codec's range

}  // namespace

std::optional<Codec> codec_from_name(std::string_view name) {
  if (name == "pcmu") return Codec::kPcmu;
  if (name == "pcma") return Codec::kPcma;
  if (name == "g729") return Codec::kG729;
  return std::nullopt;
}

ToneEncoder::ToneEncoder(Codec codec, unsigned tone_hz, unsigned ptime_ms)
    : codec_(codec), tone_hz_(tone_hz), ptime_ms_(ptime_ms) {
  if (codec_ == Codec::kG729) g729_ = initBcg729EncoderChannel(0);  // no VAD: every frame voiced
}

ToneEncoder::~ToneEncoder() {
  if (g729_ != nullptr) closeBcg729EncoderChannel(g729_);
}

std::size_t ToneEncoder::next(uint8_t* out) {
  std::vector<int16_t> pcm(samples_per_packet());
  for (int16_t& s : pcm) {
    const double t = static_cast<double>(sample_index_++) / 8000.0;
    s = static_cast<int16_t>(kToneAmplitude * std::sin(2 * std::numbers::pi * tone_hz_ * t));
  }
  switch (codec_) {
    case Codec::kPcmu:
      media::g711_encode(media::G711Law::ulaw, pcm, out);
      return pcm.size();
    case Codec::kPcma:
      media::g711_encode(media::G711Law::alaw, pcm, out);
      return pcm.size();
    case Codec::kG729:
      break;
  }
  std::size_t n = 0;
  for (std::size_t i = 0; i + kG729FrameSamples <= pcm.size(); i += kG729FrameSamples) {
    uint8_t length = 0;
    bcg729Encoder(g729_, &pcm[i], out + n, &length);
    n += length;
  }
  return n;
}

std::size_t ToneEncoder::g729_sid(uint8_t* out) {
  // A fresh encoder with VAD, fed silence: it sends a SID once it decides the talkspurt is over
  // (bcg729 does on the first silent frame; the bound keeps a change of that finite).
  bcg729EncoderChannelContextStruct* vad = initBcg729EncoderChannel(1);
  const int16_t silence[kG729FrameSamples] = {};
  uint8_t frame[kG729FrameBytes];
  uint8_t length = 0;
  for (int i = 0; i < 100 && length != kG729SidBytes; ++i)
    bcg729Encoder(vad, silence, frame, &length);
  closeBcg729EncoderChannel(vad);
  if (length != kG729SidBytes) return 0;
  std::copy(frame, frame + kG729SidBytes, out);
  return kG729SidBytes;
}

PayloadDecoder::PayloadDecoder() : g729_(initBcg729DecoderChannel()) {}

PayloadDecoder::~PayloadDecoder() {
  closeBcg729DecoderChannel(g729_);
}

void PayloadDecoder::decode(int pt, const uint8_t* payload, std::size_t size,
                            std::vector<int16_t>& out) {
  const std::size_t at = out.size();
  if (pt == static_cast<int>(Codec::kPcmu) || pt == static_cast<int>(Codec::kPcma)) {
    out.resize(at + size);
    const auto law = pt == 0 ? media::G711Law::ulaw : media::G711Law::alaw;
    media::g711_decode(law, std::span<const uint8_t>(payload, size), out.data() + at);
    return;
  }
  if (pt != static_cast<int>(Codec::kG729)) return;
  // 10-byte speech frames, then at most one 2-byte SID frame (RFC 3551 section 4.5.6).
  std::size_t off = 0;
  while (size - off >= kG729FrameBytes || size - off == kG729SidBytes) {
    const bool sid = size - off == kG729SidBytes;
    const uint8_t length = sid ? kG729SidBytes : kG729FrameBytes;
    out.resize(out.size() + kG729FrameSamples);
    bcg729Decoder(g729_, payload + off, length, 0, sid ? 1 : 0, 0,
                  out.data() + out.size() - kG729FrameSamples);
    off += length;
    if (off == size) break;
  }
}

}  // namespace trunkgate::mediapeer
