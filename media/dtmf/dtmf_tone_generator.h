#pragma once
// DTMF tone pair generator (ITU-T Q.23 frequencies): two recursive oscillators, so a sample
// costs a few multiplies and no libm call; levels -9 dBm0 (low group) and -7 dBm0 (high group),
// inside Q.24's acceptance window with the usual +2 dB twist.
#include <cstddef>
#include <cstdint>

namespace trunkgate::media {

class DtmfToneGenerator {
 public:
  // Starts (or switches to) event 0..15; returns false for anything else.
  bool start(uint8_t event);
  void stop() { active_ = false; }
  bool active() const { return active_; }
  // Writes samples of the tone pair (replacing pcm), continuing the phase across calls.
  void render(int16_t* pcm, std::size_t samples);

 private:
  struct Oscillator {
    double re, im, step_re, step_im, amplitude;
    void start(double hz, double amplitude);
    double next();
  };
  Oscillator low_{};
  Oscillator high_{};
  bool active_ = false;
};

}  // namespace trunkgate::media
