#include "media/dtmf/dtmf_tone_generator.h"

#include <cmath>
#include <initializer_list>

namespace trunkgate::media {

namespace {
constexpr double kLowGroup[4] = {697, 770, 852, 941};
constexpr double kHighGroup[4] = {1209, 1336, 1477, 1633};
// Event -> (row, column) on the keypad: 0-9, *, #, A-D.
constexpr uint8_t kRow[16] = {3, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 0, 1, 2, 3};
constexpr uint8_t kColumn[16] = {1, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 2, 3, 3, 3, 3};
// A 0 dBm0 sine peaks at 3.14 dB below full scale in G.711 (G.711 table 5/6 reference level).
constexpr double kZeroDbm0Peak = 32767.0 * 0.6966;
}  // namespace

void DtmfToneGenerator::Oscillator::start(double hz, double level_dbm0) {
  const double w = 2 * M_PI * hz / 8000.0;
  re = 1;
  im = 0;
  step_re = std::cos(w);
  step_im = std::sin(w);
  amplitude = kZeroDbm0Peak * std::pow(10.0, level_dbm0 / 20.0);
}

double DtmfToneGenerator::Oscillator::next() {
  const double r = re * step_re - im * step_im;
  im = re * step_im + im * step_re;
  re = r;
  return amplitude * im;
}

bool DtmfToneGenerator::start(uint8_t event) {
  if (event >= 16) return false;
  low_.start(kLowGroup[kRow[event]], -9);
  high_.start(kHighGroup[kColumn[event]], -7);
  active_ = true;
  return true;
}

void DtmfToneGenerator::render(int16_t* pcm, std::size_t samples) {
  for (std::size_t i = 0; i < samples; ++i)
    pcm[i] = static_cast<int16_t>(std::lround(low_.next() + high_.next()));
  // Rounding drifts the phasors' magnitude; renormalising per call keeps the level exact.
  for (Oscillator* o : {&low_, &high_}) {
    const double m = std::sqrt(o->re * o->re + o->im * o->im);
    o->re /= m;
    o->im /= m;
  }
}

}  // namespace trunkgate::media
