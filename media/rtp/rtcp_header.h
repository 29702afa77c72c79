#pragma once
// RTCP compound packet validation (RFC 3550 section 6.4 and appendix A.2) and the RFC 5761
// rule that tells RTP from RTCP when both share one port (rtcp-mux).
#include <cstddef>
#include <cstdint>
#include <span>

namespace trunkgate::media {

enum class RtcpError : uint8_t {
  ok,
  too_short,         // fewer than 8 bytes (header + SSRC), or a sub-packet header is cut
  bad_version,       // some sub-packet has V != 2
  bad_first_type,    // a compound packet must start with SR (200) or RR (201)
  padding_not_last,  // only the last sub-packet may carry padding
  bad_length,        // the sub-packet lengths do not add up to the datagram size
};

const char* to_string(RtcpError e);

struct RtcpCompound {
  uint8_t first_type = 0;   // packet type of the first sub-packet
  uint32_t sender_ssrc = 0;  // the SSRC after the first header (SRTCP keys its IV with it)
  uint8_t packet_count = 0;  // sub-packets seen (saturates at 255)
};

// Validates the whole compound packet (plain RTCP, or SRTCP after decryption).
RtcpError parse_rtcp_compound(std::span<const uint8_t> packet, RtcpCompound& out);

// Reads only what SRTCP needs before decryption: version and the first header's SSRC.
RtcpError parse_rtcp_first_header(std::span<const uint8_t> packet, RtcpCompound& out);

// RFC 5761 section 4: on a multiplexed port the second octet tells RTCP (192..223) from RTP.
enum class MuxedKind : uint8_t { rtp, rtcp, invalid };
MuxedKind classify_muxed_packet(std::span<const uint8_t> packet);

constexpr std::size_t kRtcpHeaderSize = 8;

}  // namespace trunkgate::media
