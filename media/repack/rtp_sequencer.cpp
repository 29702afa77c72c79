#include "media/repack/rtp_sequencer.h"

namespace trunkgate::media {

void RtpSequencer::reset(uint16_t first_sequence, uint32_t timestamp_offset) {
  next_sequence_ = first_sequence;
  timestamp_offset_ = timestamp_offset;
  started_ = false;
}

RtpOutputHeader RtpSequencer::next(uint32_t input_timestamp, bool talkspurt_start) {
  RtpOutputHeader h;
  h.sequence = next_sequence_++;
  h.timestamp = input_timestamp + timestamp_offset_;  // wraps mod 2^32 like RTP timestamps
  h.marker = talkspurt_start || !started_;
  started_ = true;
  return h;
}

}  // namespace trunkgate::media
