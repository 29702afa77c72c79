#include "media/rtp/rtcp_header.h"

#include "media/common/byte_order.h"

namespace trunkgate::media {

namespace {
constexpr uint8_t kSenderReport = 200;
constexpr uint8_t kReceiverReport = 201;
}  // namespace

const char* to_string(RtcpError e) {
  switch (e) {
    case RtcpError::ok: return "ok";
    case RtcpError::too_short: return "rtcp: truncated header";
    case RtcpError::bad_version: return "rtcp: version is not 2";
    case RtcpError::bad_first_type: return "rtcp: compound does not start with SR or RR";
    case RtcpError::padding_not_last: return "rtcp: padding before the last sub-packet";
    case RtcpError::bad_length: return "rtcp: sub-packet lengths do not match the datagram";
  }
  return "rtcp: unknown";
}

RtcpError parse_rtcp_first_header(std::span<const uint8_t> packet, RtcpCompound& out) {
  if (packet.size() < kRtcpHeaderSize) return RtcpError::too_short;
  const uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) return RtcpError::bad_version;
  out.first_type = p[1];
  out.sender_ssrc = load_be32(p + 4);
  out.packet_count = 0;
  return RtcpError::ok;
}

RtcpError parse_rtcp_compound(std::span<const uint8_t> packet, RtcpCompound& out) {
  const RtcpError first = parse_rtcp_first_header(packet, out);
  if (first != RtcpError::ok) return first;
  if (out.first_type != kSenderReport && out.first_type != kReceiverReport)
    return RtcpError::bad_first_type;
  const std::size_t size = packet.size();
  std::size_t offset = 0;
  while (offset < size) {
    if (size - offset < 4) return RtcpError::too_short;
    const uint8_t* p = packet.data() + offset;
    if ((p[0] >> 6) != 2) return RtcpError::bad_version;
    const std::size_t length = 4u * (std::size_t{load_be16(p + 2)} + 1);
    if (length > size - offset) return RtcpError::bad_length;
    if ((p[0] & 0x20) != 0 && offset + length != size) return RtcpError::padding_not_last;
    offset += length;
    if (out.packet_count < 255) ++out.packet_count;
  }
  return RtcpError::ok;
}

MuxedKind classify_muxed_packet(std::span<const uint8_t> packet) {
  if (packet.size() < 2 || (packet[0] >> 6) != 2) return MuxedKind::invalid;
  return (packet[1] >= 192 && packet[1] <= 223) ? MuxedKind::rtcp : MuxedKind::rtp;
}

}  // namespace trunkgate::media
