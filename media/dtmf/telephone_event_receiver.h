#pragma once
// Receiver side of RFC 4733 events: turns the packet stream (continuations, three end packets,
// possible loss of the first or of all end packets) into one "began" and one "ended" report per
// event. Events are told apart by their RTP timestamp (section 2.5.2).
#include <cstddef>
#include <cstdint>

#include "media/dtmf/telephone_event.h"

namespace trunkgate::media {

struct TelephoneEventReport {
  enum class Kind : uint8_t { began, ended };
  Kind kind;
  uint8_t event;
  uint32_t timestamp;  // the event's start
  uint16_t duration;   // for ended: the final duration; for began: the duration seen so far
};

class TelephoneEventReceiver {
 public:
  static constexpr std::size_t kMaxReports = 3;  // close a previous event, begin, end at once

  // Feeds one packet's first event block; writes up to kMaxReports reports, returns the count.
  std::size_t on_event(const TelephoneEvent& event, uint32_t rtp_timestamp,
                       TelephoneEventReport* out);
  // Ends an event whose end packets were all lost, once the caller's timer says so.
  std::size_t expire(TelephoneEventReport* out);
  bool active() const { return state_ == State::playing; }
  uint8_t event() const { return event_; }
  uint16_t duration() const { return duration_; }

 private:
  enum class State : uint8_t { idle, playing, ended };
  State state_ = State::idle;
  uint8_t event_ = kNoEvent;
  uint32_t timestamp_ = 0;
  uint16_t duration_ = 0;
};

}  // namespace trunkgate::media
