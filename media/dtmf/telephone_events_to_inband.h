#pragma once
// Out-of-band -> in-band interworking: plays RFC 4733 DTMF events as tones on a leg without
// telephone-event, for exactly the duration the sender reported.
#include <cstddef>
#include <cstdint>
#include <span>

#include "media/dtmf/dtmf_tone_generator.h"
#include "media/dtmf/telephone_event.h"
#include "media/dtmf/telephone_event_receiver.h"

namespace trunkgate::media {

class TelephoneEventsToInband {
 public:
  void reset();
  // Feeds one telephone-event payload; reports (for the control plane) go to out, at most
  // TelephoneEventReceiver::kMaxReports. Malformed or non-DTMF payloads produce none.
  std::size_t on_packet(std::span<const uint8_t> payload, uint32_t rtp_timestamp,
                        TelephoneEventReport* out);
  // Ends a tone whose end packets never came (the caller's timeout).
  std::size_t expire(TelephoneEventReport* out);
  // If a tone is due, overwrites pcm with it (silence after it ends) and returns true;
  // otherwise leaves pcm alone and returns false.
  bool render(int16_t* pcm, std::size_t samples);
  bool tone_due() const { return generator_.active(); }

 private:
  TelephoneEventReceiver receiver_;
  DtmfToneGenerator generator_;
  uint32_t rendered_ = 0;  // samples of the current tone played so far
  uint32_t target_ = 0;    // its final length once known
  bool target_known_ = false;
};

}  // namespace trunkgate::media
