// SSRC/sequence/timestamp translation on the relay path, keeping the payload's ones'-complement
// sum current (RFC 1624) so the UDP checksum never needs a payload walk. Which packets are RTP or
// RTCP is decided by media/rtp (see relay_kind in worker_packets.cc).
#pragma once

#include <cstdint>

namespace trunkgate::dp {

// Per-flow state that keeps the outgoing stream continuous across incoming SSRC changes.
struct RtpTranslation {
  uint32_t out_ssrc;
  uint32_t in_ssrc;
  uint32_t ts_delta;
  uint32_t last_out_ts;
  uint16_t seq_delta;
  uint16_t last_out_seq;
  uint8_t started;
};

// Samples assumed between the last packet of one incoming SSRC and the first of the next (20 ms at
// 8 kHz); the receiver's jitter buffer absorbs the approximation.
inline constexpr uint32_t kSsrcChangeTimestampGap = 160;

// Rewrites the RTP header in place; returns the updated payload ones'-complement sum.
uint16_t translate_rtp(uint8_t* rtp, RtpTranslation& state, uint16_t payload_sum);

// Rewrites the sender SSRC of an RTCP packet (SR/RR/SDES...: bytes 4..7) in place.
uint16_t translate_rtcp(uint8_t* rtcp, const RtpTranslation& state, uint16_t payload_sum);

}  // namespace trunkgate::dp
