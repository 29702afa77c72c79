#include "media/dtmf/telephone_events_to_inband.h"

#include <algorithm>

namespace trunkgate::media {

void TelephoneEventsToInband::reset() { *this = TelephoneEventsToInband{}; }

std::size_t TelephoneEventsToInband::on_packet(std::span<const uint8_t> payload,
                                               uint32_t rtp_timestamp, TelephoneEventReport* out) {
  TelephoneEvent event;
  if (parse_telephone_event(payload, event) != TelephoneEventError::ok) return 0;
  const std::size_t n = receiver_.on_event(event, rtp_timestamp, out);
  for (std::size_t i = 0; i < n; ++i) {
    if (out[i].kind == TelephoneEventReport::Kind::began) {
      generator_.start(out[i].event);  // flash (16) has no tone: start() refuses it
      rendered_ = 0;
      target_known_ = false;
    } else if (out[i].event == receiver_.event()) {
      target_ = out[i].duration;
      target_known_ = true;
    }
  }
  return n;
}

std::size_t TelephoneEventsToInband::expire(TelephoneEventReport* out) {
  const std::size_t n = receiver_.expire(out);
  if (n != 0) {
    target_ = out[0].duration;
    target_known_ = true;
  }
  return n;
}

bool TelephoneEventsToInband::render(int16_t* pcm, std::size_t samples) {
  if (!generator_.active()) return false;
  std::size_t tone = samples;
  if (target_known_) tone = target_ > rendered_ ? std::min<std::size_t>(samples, target_ - rendered_) : 0;
  generator_.render(pcm, tone);
  for (std::size_t i = tone; i < samples; ++i) pcm[i] = 0;
  rendered_ += static_cast<uint32_t>(tone);
  if (target_known_ && rendered_ >= target_) generator_.stop();
  return true;
}

}  // namespace trunkgate::media
