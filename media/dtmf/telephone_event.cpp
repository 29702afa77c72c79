#include "media/dtmf/telephone_event.h"

#include "media/common/byte_order.h"

namespace trunkgate::media {

namespace {
constexpr char kEventChars[] = "0123456789*#ABCD!";
}

const char* to_string(TelephoneEventError e) {
  switch (e) {
    case TelephoneEventError::ok: return "ok";
    case TelephoneEventError::bad_length: return "telephone-event: length not a multiple of 4";
    case TelephoneEventError::unsupported_event: return "telephone-event: event above 16";
  }
  return "telephone-event: unknown";
}

TelephoneEventError parse_telephone_event(std::span<const uint8_t> payload, TelephoneEvent& out) {
  if (payload.empty() || payload.size() % kTelephoneEventBytes != 0)
    return TelephoneEventError::bad_length;
  out.event = payload[0];
  out.end = (payload[1] & 0x80) != 0;
  out.volume = payload[1] & 0x3f;  // the R bit (0x40) is reserved and ignored
  out.duration = load_be16(payload.data() + 2);
  return out.event <= kDtmfEventFlash ? TelephoneEventError::ok
                                      : TelephoneEventError::unsupported_event;
}

void write_telephone_event(const TelephoneEvent& event, uint8_t* out) {
  out[0] = event.event;
  out[1] = static_cast<uint8_t>((event.end ? 0x80 : 0) | (event.volume & 0x3f));
  store_be16(out + 2, event.duration);
}

uint8_t dtmf_event_from_char(char digit) {
  for (uint8_t i = 0; i <= kDtmfEventFlash; ++i)
    if (kEventChars[i] == digit) return i;
  return kNoEvent;
}

char dtmf_event_to_char(uint8_t event) { return event <= kDtmfEventFlash ? kEventChars[event] : '\0'; }

}  // namespace trunkgate::media
