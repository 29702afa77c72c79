#include "media/dtmf/telephone_event_sender.h"

namespace trunkgate::media {

void TelephoneEventSender::start(uint8_t event, uint32_t start_timestamp, uint8_t volume) {
  event_ = event;
  start_timestamp_ = start_timestamp;
  volume_ = volume;
  active_ = true;
  first_ = true;
}

TelephoneEventPacket TelephoneEventSender::make(uint32_t now_timestamp, bool end) {
  // Events longer than the 16-bit duration (8.19 s at 8 kHz) are not DTMF; saturate rather
  // than implement RFC 4733's long-event segmentation.
  const uint32_t elapsed = now_timestamp - start_timestamp_;
  TelephoneEvent e;
  e.event = event_;
  e.end = end;
  e.volume = volume_;
  e.duration = static_cast<uint16_t>(elapsed > 0xffff ? 0xffff : elapsed);
  TelephoneEventPacket p;
  write_telephone_event(e, p.payload);
  p.timestamp = start_timestamp_;
  p.marker = first_;
  first_ = false;
  return p;
}

bool TelephoneEventSender::update(uint32_t now_timestamp, TelephoneEventPacket& out) {
  if (!active_) return false;
  out = make(now_timestamp, false);
  return true;
}

std::size_t TelephoneEventSender::finish(uint32_t end_timestamp, TelephoneEventPacket* out) {
  if (!active_) return 0;
  for (std::size_t i = 0; i < kEndRepeats; ++i) out[i] = make(end_timestamp, true);
  active_ = false;
  return kEndRepeats;
}

}  // namespace trunkgate::media
