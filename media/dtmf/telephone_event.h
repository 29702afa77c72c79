#pragma once
// RFC 4733 (formerly RFC 2833) telephone-event payload: event, end bit, volume, duration.
#include <cstddef>
#include <cstdint>
#include <span>

namespace trunkgate::media {

constexpr std::size_t kTelephoneEventBytes = 4;
constexpr uint8_t kDtmfEventFlash = 16;  // events 0-9, * (10), # (11), A-D (12-15), flash (16)
constexpr uint8_t kNoEvent = 0xff;

struct TelephoneEvent {
  uint8_t event = 0;
  bool end = false;
  uint8_t volume = 10;     // -dBm0, 0..63
  uint16_t duration = 0;   // in RTP timestamp units since the event's timestamp
};

enum class TelephoneEventError : uint8_t {
  ok,
  bad_length,       // not a whole number of 4-byte blocks (or empty)
  unsupported_event // above 16: not DTMF or flash (relay may still pass it through)
};

const char* to_string(TelephoneEventError e);

// Parses the first event block; redundant blocks (RFC 4733 section 2.5.1.5) may follow.
TelephoneEventError parse_telephone_event(std::span<const uint8_t> payload, TelephoneEvent& out);
void write_telephone_event(const TelephoneEvent& event, uint8_t* out);  // 4 bytes

// '0'-'9', '*', '#', 'A'-'D', '!' (flash) <-> 0..16; kNoEvent / '\0' when invalid.
uint8_t dtmf_event_from_char(char digit);
char dtmf_event_to_char(uint8_t event);

}  // namespace trunkgate::media
