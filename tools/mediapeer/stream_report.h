// What arrived: per payload type counts, payload sizes, RTP timestamp steps and sequence
// continuity between consecutive packets, SSRCs, SRTP failures, and the decoded audio's level and
// the share of its energy at one frequency (a tone sent through the gateway comes out as that
// tone). Written as one JSON object for the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tools/mediapeer/audio_codec.h"

namespace trunkgate::mediapeer {

class StreamReport {
 public:
  explicit StreamReport(unsigned tone_hz) : tone_hz_(tone_hz) {}

  // One datagram after SRTP unprotection (if any).
  void add_packet(const uint8_t* data, std::size_t size);
  void add_srtp_failure(int libsrtp_status);
  void add_sent() { ++sent_; }

  uint64_t received() const { return received_; }
  std::string json() const;

 private:
  unsigned tone_hz_;
  uint64_t sent_ = 0, received_ = 0, not_rtp_ = 0;
  uint64_t missing_ = 0;       // sequence numbers skipped (forward jumps)
  uint64_t out_of_order_ = 0;  // duplicates or backward steps
  std::map<int, uint64_t> by_pt_, payload_bytes_, srtp_failures_;
  std::map<int64_t, uint64_t> ts_steps_;  // timestamp delta between consecutive packets
  std::set<uint32_t> ssrcs_;
  std::optional<uint16_t> last_seq_;
  uint32_t last_ts_ = 0;
  PayloadDecoder decoder_;
  std::vector<int16_t> audio_;
};

}  // namespace trunkgate::mediapeer
