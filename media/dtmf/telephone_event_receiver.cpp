#include "media/dtmf/telephone_event_receiver.h"

namespace trunkgate::media {

std::size_t TelephoneEventReceiver::expire(TelephoneEventReport* out) {
  if (state_ != State::playing) return 0;
  state_ = State::ended;
  out[0] = {TelephoneEventReport::Kind::ended, event_, timestamp_, duration_};
  return 1;
}

std::size_t TelephoneEventReceiver::on_event(const TelephoneEvent& e, uint32_t rtp_timestamp,
                                             TelephoneEventReport* out) {
  std::size_t n = 0;
  const bool same_event = state_ != State::idle && rtp_timestamp == timestamp_;
  if (same_event && state_ == State::ended) return 0;  // redundant end packet
  if (!same_event) {
    n += expire(out);  // a new event implies the previous one ended, end packets lost
    state_ = State::playing;
    event_ = e.event;
    timestamp_ = rtp_timestamp;
    duration_ = e.duration;
    out[n++] = {TelephoneEventReport::Kind::began, event_, timestamp_, duration_};
  }
  if (e.duration > duration_) duration_ = e.duration;  // reordered packets never shrink it
  if (e.end) {
    state_ = State::ended;
    out[n++] = {TelephoneEventReport::Kind::ended, event_, timestamp_, duration_};
  }
  return n;
}

}  // namespace trunkgate::media
