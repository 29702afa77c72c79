#pragma once
// Bounded view of an RTP packet (RFC 3550 section 5.1). Parsing never reads past the given span.
#include <cstddef>
#include <cstdint>
#include <span>

namespace trunkgate::media {

enum class RtpError : uint8_t {
  ok,
  too_short,          // fewer than 12 bytes
  too_long,           // more than 65535 bytes (cannot come from UDP)
  bad_version,        // V != 2
  csrc_overrun,       // CC * 4 bytes do not fit
  extension_overrun,  // extension header or its length does not fit
  bad_padding,        // P set but the pad count is 0 or larger than the payload
};

const char* to_string(RtpError e);

struct RtpHeader {
  uint8_t payload_type = 0;
  bool marker = false;
  bool has_padding = false;
  bool has_extension = false;
  uint8_t csrc_count = 0;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  uint16_t extension_profile = 0;
  uint16_t header_length = 0;   // fixed header + CSRCs + extension, i.e. the payload offset
  uint16_t payload_length = 0;  // without padding (only when padding was validated)
  uint8_t padding_length = 0;
};

// Parses the header only; the padding count (last byte) is not checked because under SRTP it is
// encrypted. payload_length is then everything after the header.
RtpError parse_rtp_header(std::span<const uint8_t> packet, RtpHeader& out);

// Parses the header and validates the padding (plain RTP or after SRTP decryption).
RtpError parse_rtp(std::span<const uint8_t> packet, RtpHeader& out);

// Rewrites the fields a relay or transcoder changes, in place; packet must hold >= 12 bytes.
void write_rtp_fixed_header(uint8_t* packet, uint8_t payload_type, bool marker, uint16_t sequence,
                            uint32_t timestamp, uint32_t ssrc);

constexpr std::size_t kRtpFixedHeaderSize = 12;

}  // namespace trunkgate::media
