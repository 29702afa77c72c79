#pragma once
// In-band DTMF detection on linear 8 kHz audio with spandsp's detector (Goertzel filters with
// twist, level and duration checks that reject speech). Its state lives inside this object
// (no allocation); spandsp keeps a pointer to it, so the object must not move after reset().
#include <cstddef>
#include <cstdint>

namespace trunkgate::media {

struct DtmfTransition {
  uint8_t event;        // 0..15 when a digit starts, kNoEvent when it stops
  uint32_t timestamp;   // RTP timestamp of the frame in which the change was reported
};

class InbandDtmfDetector {
 public:
  static constexpr std::size_t kMaxTransitionsPerCall = 4;
  static constexpr std::size_t kSpandspStateBytes = 432;  // sizeof(dtmf_rx_state_t), 0.0.6

  InbandDtmfDetector();
  InbandDtmfDetector(const InbandDtmfDetector&) = delete;
  InbandDtmfDetector& operator=(const InbandDtmfDetector&) = delete;

  void reset();
  // Processes samples that start at timestamp; writes transitions seen (at most
  // kMaxTransitionsPerCall, frames of <= 40 ms never produce more) and returns their count.
  std::size_t process(const int16_t* pcm, std::size_t samples, uint32_t timestamp,
                      DtmfTransition* out);
  bool in_digit() const { return current_ != 0xff; }

 private:
  static void on_report(void* self, int code, int level, int delay);

  alignas(16) unsigned char state_[kSpandspStateBytes];
  DtmfTransition* sink_ = nullptr;
  std::size_t sink_count_ = 0;
  uint32_t timestamp_ = 0;
  uint8_t current_ = 0xff;
};

}  // namespace trunkgate::media
