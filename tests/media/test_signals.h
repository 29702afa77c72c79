#pragma once
// Known test signals and the similarity measure used to judge a codec path.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace trunkgate::media::test {

inline std::vector<int16_t> tone(double hz, double amplitude, std::size_t samples) {
  std::vector<int16_t> out(samples);
  for (std::size_t n = 0; n < samples; ++n)
    out[n] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * hz * static_cast<double>(n) / 8000));
  return out;
}

// A vowel-like signal: a 120 Hz glottal pulse train's first 25 harmonics shaped by three formant
// resonances (roughly /a/: 700, 1220, 2600 Hz), with slow pitch drift and a syllable envelope
// (4 Hz), so the codec's pitch and LPC analysis both have work to do.
inline std::vector<int16_t> vowel(std::size_t samples) {
  const double formants[3] = {700, 1220, 2600};
  const double bandwidths[3] = {110, 120, 160};
  std::vector<int16_t> out(samples);
  double phase = 0;
  for (std::size_t n = 0; n < samples; ++n) {
    const double t = static_cast<double>(n) / 8000;
    const double f0 = 120 + 15 * std::sin(2 * M_PI * 0.7 * t);
    phase += 2 * M_PI * f0 / 8000;
    double v = 0;
    for (int h = 1; h <= 25 && h * f0 < 3800; ++h) {
      const double f = h * f0;
      double gain = 0;
      for (int k = 0; k < 3; ++k) {
        const double d = (f - formants[k]) / bandwidths[k];
        gain += 1.0 / (1 + d * d) / (k + 1);
      }
      v += gain * std::sin(h * phase) / std::sqrt(h);
    }
    const double envelope = 0.55 + 0.45 * std::sin(2 * M_PI * 4 * t);
    out[n] = static_cast<int16_t>(std::clamp(5000 * envelope * v, -32000.0, 32000.0));
  }
  return out;
}

// Largest normalised cross-correlation of y against x over lags 0..max_lag (codecs delay the
// signal), computed over x[skip, end - max_lag). 1 = identical shape, ~0 = unrelated.
inline double best_correlation(const std::vector<int16_t>& x, const std::vector<int16_t>& y,
                               std::size_t skip, std::size_t max_lag) {
  double best = -1;
  const std::size_t end = std::min(x.size(), y.size()) - max_lag;
  for (std::size_t lag = 0; lag <= max_lag; ++lag) {
    double xy = 0, xx = 0, yy = 0;
    for (std::size_t n = skip; n < end; ++n) {
      const double a = x[n];
      const double b = y[n + lag];
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
    if (xx > 0 && yy > 0) best = std::max(best, xy / std::sqrt(xx * yy));
  }
  return best;
}

inline double rms(const int16_t* x, std::size_t n) {
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  return n == 0 ? 0 : std::sqrt(sum / static_cast<double>(n));
}

// Frames of 80 samples in a fixed pseudo-random order: same spectrum, broken timing.
inline std::vector<int16_t> shuffle_frames(std::vector<int16_t> x) {
  const std::size_t frames = x.size() / 80;
  std::vector<std::size_t> order(frames);
  for (std::size_t i = 0; i < frames; ++i) order[i] = i;
  std::mt19937 rng(42);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<int16_t> out(x.size(), 0);
  for (std::size_t i = 0; i < frames; ++i)
    std::copy_n(x.begin() + static_cast<long>(order[i] * 80), 80, out.begin() + static_cast<long>(i * 80));
  return out;
}

}  // namespace trunkgate::media::test
