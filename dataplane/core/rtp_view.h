// RTP/RTCP checks and translation done on the relay path. Only what a relay must know: is this a
// plausible RTP (or RTCP) packet, and how to rewrite SSRC/sequence/timestamp while keeping the
// payload's checksum sum current (RFC 1624), so the UDP checksum never needs a payload walk.
#pragma once

#include <cstdint>

namespace trunkgate::dp {

enum class RtpKind : uint8_t { kInvalid, kRtp, kRtcp };

// RFC 3550 section 5.1 / A.1 validity, and RFC 5761 section 4 demultiplexing: a second byte of
// 192..223 is RTCP (payload types 64..95 with the marker bit are not used by RTP for that reason).
RtpKind classify_rtp(const uint8_t* payload, uint16_t len);

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
