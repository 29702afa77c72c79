#include "media/cn/comfort_noise.h"

#include <cmath>

namespace trunkgate::media {

namespace {
constexpr double kFullScaleRms = 32767.0;
// A uniform distribution on [-A, A] has RMS A / sqrt(3).
constexpr double kUniformPeakPerRms = 1.7320508075688772;
}  // namespace

CnError parse_cn_payload(std::span<const uint8_t> payload, CnPayload& out) {
  if (payload.empty()) return CnError::empty;
  if (payload[0] > 127) return CnError::reserved_bit_set;
  out.level = payload[0];
  // Spectral bytes beyond the model order we keep are ignored (RFC 3389 allows any order).
  const std::size_t count = payload.size() - 1;
  out.spectral_count = static_cast<uint8_t>(count < kCnMaxSpectralBytes ? count : kCnMaxSpectralBytes);
  for (std::size_t i = 0; i < out.spectral_count; ++i) out.spectral[i] = payload[1 + i];
  return CnError::ok;
}

std::size_t write_cn_payload(uint8_t level, uint8_t* out) {
  out[0] = level > 127 ? 127 : level;
  return 1;
}

uint8_t noise_level_of(const int16_t* pcm, std::size_t samples) {
  double energy = 0;
  for (std::size_t i = 0; i < samples; ++i) energy += static_cast<double>(pcm[i]) * pcm[i];
  if (samples == 0 || energy <= 0) return kCnMinLevel;
  const double dbov = 20 * std::log10(std::sqrt(energy / static_cast<double>(samples)) / kFullScaleRms);
  const long level = std::lround(-dbov);
  return static_cast<uint8_t>(level < 0 ? 0 : level > 127 ? 127 : level);
}

void ComfortNoiseGenerator::reset(uint32_t seed) { state_ = seed | 1; }

void ComfortNoiseGenerator::set_level(uint8_t level) {
  // Setup-rate work (once per CN packet), so pow() is fine here.
  const double rms = kFullScaleRms * std::pow(10.0, -static_cast<double>(level) / 20.0);
  const double peak = rms * kUniformPeakPerRms;
  amplitude_q8_ = static_cast<int32_t>(std::lround((peak > 32767 ? 32767 : peak) * 256));
}

void ComfortNoiseGenerator::render(int16_t* pcm, std::size_t samples) {
  for (std::size_t i = 0; i < samples; ++i) {
    state_ = state_ * 1664525u + 1013904223u;  // Numerical Recipes LCG
    // Top 16 bits as a signed value in [-32768, 32767], scaled to [-A, A].
    const int32_t uniform = static_cast<int16_t>(state_ >> 16);
    // Division truncates toward zero, so sub-LSB levels give silence instead of a -1 bias.
    const int64_t sample = (int64_t{uniform} * amplitude_q8_) / (int64_t{1} << 23);
    pcm[i] = static_cast<int16_t>(sample);
  }
}

}  // namespace trunkgate::media
