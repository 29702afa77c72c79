#pragma once
// In-band -> out-of-band interworking: detects DTMF in a leg's decoded audio and produces the
// RFC 4733 packets to send on the other leg (start with marker, one continuation per frame,
// three end packets). While a digit is on, suppress_audio() tells the caller to stop passing
// the tone itself through (detection takes a few tens of ms, so the very start leaks).
#include <cstddef>
#include <cstdint>

#include "media/dtmf/inband_dtmf_detector.h"
#include "media/dtmf/telephone_event_sender.h"

namespace trunkgate::media {

class InbandToTelephoneEvents {
 public:
  // Two digits ending and one starting inside one frame is the worst case.
  static constexpr std::size_t kMaxPacketsPerFrame = 2 * TelephoneEventSender::kEndRepeats + 1;

  void reset(uint8_t volume = 10);
  // pcm: one frame (<= 40 ms) starting at timestamp on the outgoing leg's clock.
  std::size_t process(const int16_t* pcm, std::size_t samples, uint32_t timestamp,
                      TelephoneEventPacket* out);
  bool suppress_audio() const { return sender_.active(); }

 private:
  InbandDtmfDetector detector_;
  TelephoneEventSender sender_;
  uint8_t volume_ = 10;
};

}  // namespace trunkgate::media
