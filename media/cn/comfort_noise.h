#pragma once
// Comfort noise (RFC 3389) and its bridge to G.729 Annex B:
// - CN payload parse/build (noise level in -dBov, optional spectral bytes);
// - a per-flow noise generator that renders a CN level as audio (for G.711 legs that did not
//   offer PT 13, or as input to a G.729 encoder with VAD, which then emits the SID itself);
// - noise_level_of(): the CN level of decoded audio, which maps a received G.729B SID (decoded
//   by the flow's G729Decoder into comfort noise) to the CN level for a G.711 leg that uses CN.
// 0 dBov is a full-scale square wave (RMS 32767), as RFC 3389 section 3.1 defines for PCM.
#include <cstddef>
#include <cstdint>
#include <span>

namespace trunkgate::media {

constexpr std::size_t kCnMaxSpectralBytes = 10;
constexpr uint8_t kCnMinLevel = 127;  // -127 dBov: quietest

struct CnPayload {
  uint8_t level = kCnMinLevel;  // -dBov, 0..127
  uint8_t spectral_count = 0;
  uint8_t spectral[kCnMaxSpectralBytes] = {};
};

enum class CnError : uint8_t {
  ok,
  empty,
  reserved_bit_set,  // level byte above 127
};

CnError parse_cn_payload(std::span<const uint8_t> payload, CnPayload& out);
// Writes the level byte only (no spectral model): 1 byte.
std::size_t write_cn_payload(uint8_t level, uint8_t* out);

// -dBov of pcm's RMS, rounded and clamped to 0..127.
uint8_t noise_level_of(const int16_t* pcm, std::size_t samples);

class ComfortNoiseGenerator {
 public:
  void reset(uint32_t seed);
  void set_level(uint8_t level);
  // White noise at the set level, from a 32-bit LCG: no libm, no allocation.
  void render(int16_t* pcm, std::size_t samples);

 private:
  uint32_t state_ = 1;
  int32_t amplitude_q8_ = 0;  // peak of the uniform distribution, Q8
};

}  // namespace trunkgate::media
