#pragma once
// Sender side of RFC 4733 events on a leg we originate: while a digit lasts, one packet per
// packet interval with the event's start timestamp and a growing duration (marker on the first);
// when it ends, the final duration in three end packets (section 2.5.1.4), which the caller
// sends with consecutive sequence numbers.
#include <cstddef>
#include <cstdint>

#include "media/dtmf/telephone_event.h"

namespace trunkgate::media {

struct TelephoneEventPacket {
  uint8_t payload[kTelephoneEventBytes];
  uint32_t timestamp;  // the event's start: the same for every packet of the event
  bool marker;
};

class TelephoneEventSender {
 public:
  static constexpr std::size_t kEndRepeats = 3;

  void start(uint8_t event, uint32_t start_timestamp, uint8_t volume);
  bool active() const { return active_; }
  uint8_t event() const { return event_; }
  // A continuation packet covering audio up to now_timestamp; false when no event is active.
  bool update(uint32_t now_timestamp, TelephoneEventPacket& out);
  // Ends the event at end_timestamp; writes the end packets into out[0..kEndRepeats).
  std::size_t finish(uint32_t end_timestamp, TelephoneEventPacket* out);

 private:
  TelephoneEventPacket make(uint32_t now_timestamp, bool end);

  uint32_t start_timestamp_ = 0;
  uint8_t event_ = kNoEvent;
  uint8_t volume_ = 10;
  bool active_ = false;
  bool first_ = false;
};

}  // namespace trunkgate::media
