#include "media/dtmf/inband_to_telephone_events.h"

namespace trunkgate::media {

void InbandToTelephoneEvents::reset(uint8_t volume) {
  detector_.reset();
  sender_ = TelephoneEventSender{};
  volume_ = volume;
}

std::size_t InbandToTelephoneEvents::process(const int16_t* pcm, std::size_t samples,
                                             uint32_t timestamp, TelephoneEventPacket* out) {
  DtmfTransition transitions[InbandDtmfDetector::kMaxTransitionsPerCall];
  const std::size_t count = detector_.process(pcm, samples, timestamp, transitions);
  std::size_t n = 0;
  for (std::size_t i = 0; i < count; ++i) {
    // A digit ends either explicitly or because another one started without a gap.
    if (sender_.active() && n + TelephoneEventSender::kEndRepeats < kMaxPacketsPerFrame)
      n += sender_.finish(transitions[i].timestamp, out + n);
    if (transitions[i].event != kNoEvent)
      sender_.start(transitions[i].event, transitions[i].timestamp, volume_);
  }
  if (sender_.active() && sender_.update(timestamp + static_cast<uint32_t>(samples), out[n])) ++n;
  return n;
}

}  // namespace trunkgate::media
