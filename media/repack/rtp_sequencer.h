#pragma once
// Sequence numbers and timestamps of a leg whose packets we originate (transcoded or
// repacketized): the sequence number counts our packets, gap-free; the timestamp follows the
// input's media clock shifted by a per-flow random offset, so silence (DTX) and loss on the
// input show up as timestamp jumps exactly as long as the missing audio; the marker bit flags
// the first packet of each talkspurt (RFC 3551 section 4.1).
#include <cstdint>

namespace trunkgate::media {

struct RtpOutputHeader {
  uint16_t sequence;
  uint32_t timestamp;
  bool marker;
};

class RtpSequencer {
 public:
  // Setup: initial sequence and timestamp offset should be random (RFC 3550 section 5.1).
  void reset(uint16_t first_sequence, uint32_t timestamp_offset);
  // input_timestamp: media timestamp of the packet's first sample on the input leg (same 8 kHz
  // clock for G.711 and G.729). talkspurt_start: first packet after silence (DTX) or a flush.
  RtpOutputHeader next(uint32_t input_timestamp, bool talkspurt_start);

 private:
  uint32_t timestamp_offset_ = 0;
  uint16_t next_sequence_ = 0;
  bool started_ = false;
};

}  // namespace trunkgate::media
