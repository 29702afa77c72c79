#include "media/rtp/rtp_header.h"

#include "media/common/byte_order.h"

namespace trunkgate::media {

const char* to_string(RtpError e) {
  switch (e) {
    case RtpError::ok: return "ok";
    case RtpError::too_short: return "rtp: shorter than the fixed header";
    case RtpError::too_long: return "rtp: longer than 65535 bytes";
    case RtpError::bad_version: return "rtp: version is not 2";
    case RtpError::csrc_overrun: return "rtp: CSRC list overruns the packet";
    case RtpError::extension_overrun: return "rtp: header extension overruns the packet";
    case RtpError::bad_padding: return "rtp: padding count is 0 or exceeds the payload";
  }
  return "rtp: unknown";
}

RtpError parse_rtp_header(std::span<const uint8_t> packet, RtpHeader& out) {
  const std::size_t size = packet.size();
  if (size < kRtpFixedHeaderSize) return RtpError::too_short;
  if (size > 0xffff) return RtpError::too_long;
  const uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) return RtpError::bad_version;
  out.has_padding = (p[0] & 0x20) != 0;
  out.has_extension = (p[0] & 0x10) != 0;
  out.csrc_count = p[0] & 0x0f;
  out.marker = (p[1] & 0x80) != 0;
  out.payload_type = p[1] & 0x7f;
  out.sequence = load_be16(p + 2);
  out.timestamp = load_be32(p + 4);
  out.ssrc = load_be32(p + 8);
  std::size_t offset = kRtpFixedHeaderSize + 4u * out.csrc_count;
  if (offset > size) return RtpError::csrc_overrun;
  out.extension_profile = 0;
  if (out.has_extension) {
    if (offset + 4 > size) return RtpError::extension_overrun;
    out.extension_profile = load_be16(p + offset);
    offset += 4 + 4u * load_be16(p + offset + 2);
    if (offset > size) return RtpError::extension_overrun;
  }
  // Both casts are exact: offset <= size <= 0xffff.
  out.header_length = static_cast<uint16_t>(offset);
  out.payload_length = static_cast<uint16_t>(size - offset);
  out.padding_length = 0;
  return RtpError::ok;
}

RtpError parse_rtp(std::span<const uint8_t> packet, RtpHeader& out) {
  const RtpError e = parse_rtp_header(packet, out);
  if (e != RtpError::ok || !out.has_padding) return e;
  const uint8_t pad = packet.back();
  if (pad == 0 || pad > out.payload_length) return RtpError::bad_padding;
  out.padding_length = pad;
  out.payload_length = static_cast<uint16_t>(out.payload_length - pad);
  return RtpError::ok;
}

void write_rtp_fixed_header(uint8_t* packet, uint8_t payload_type, bool marker, uint16_t sequence,
                            uint32_t timestamp, uint32_t ssrc) {
  packet[1] = static_cast<uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7f));
  store_be16(packet + 2, sequence);
  store_be32(packet + 4, timestamp);
  store_be32(packet + 8, ssrc);
}

}  // namespace trunkgate::media
