#include "dataplane/core/packet_parser.h"

#include "dataplane/core/checksum.h"

namespace trunkgate::dp {
namespace {

using channel::Family;
using channel::WorkerDrop;

constexpr unsigned kEthHeaderLen = 14;
constexpr unsigned kVlanTagLen = 4;
constexpr unsigned kMaxVlanTags = 2;
constexpr unsigned kIPv4MinHeaderLen = 20;
constexpr unsigned kIPv6HeaderLen = 40;
constexpr unsigned kUdpHeaderLen = 8;
constexpr unsigned kMaxIPv6ExtHeaders = 4;

ParsedPacket drop(ParsedPacket p, WorkerDrop why) {
  p.verdict = Verdict::kDrop;
  p.drop = why;
  return p;
}

ParsedPacket exception(ParsedPacket p) {
  p.verdict = Verdict::kException;
  return p;
}

// Reads the UDP header at l4 (bounded by l4_end, the end of the IP payload) and decides between
// media and exception by the destination port.
ParsedPacket classify_udp(ParsedPacket p, const uint8_t* frame, uint32_t l4, uint32_t l4_end,
                          MediaPortRange media) {
  if (l4 + kUdpHeaderLen > l4_end) return drop(p, channel::kDropTooShort);
  const uint8_t* udp = frame + l4;
  p.l4_offset = static_cast<uint16_t>(l4);
  p.src_port = load_be16(udp);
  p.dst_port = load_be16(udp + 2);
  const uint16_t udp_len = load_be16(udp + 4);
  p.udp_checksum = load_be16(udp + 6);
  if (udp_len < kUdpHeaderLen || l4 + udp_len > l4_end) return drop(p, channel::kDropUdpLength);
  if (!media.contains(p.dst_port)) return exception(p);
  if (udp_len == kUdpHeaderLen) return drop(p, channel::kDropUdpLength);
  p.payload_offset = static_cast<uint16_t>(l4 + kUdpHeaderLen);
  p.payload_len = static_cast<uint16_t>(udp_len - kUdpHeaderLen);
  p.verdict = Verdict::kMedia;
  return p;
}

// True when the UDP header at l4 is readable and its destination is in the media range: used to
// decide whether a fragment or an options-bearing packet is media (dropped) or not (kernel's).
bool udp_to_media(const uint8_t* frame, uint32_t l4, uint32_t l4_end, MediaPortRange media) {
  return l4 + kUdpHeaderLen <= l4_end && media.contains(load_be16(frame + l4 + 2));
}

ParsedPacket parse_ipv4(ParsedPacket p, const uint8_t* frame, uint32_t len, MediaPortRange media) {
  const uint32_t l3 = p.l3_offset;
  if (l3 + kIPv4MinHeaderLen > len) return drop(p, channel::kDropTooShort);
  const uint8_t* ip = frame + l3;
  if ((ip[0] >> 4) != 4) return drop(p, channel::kDropMalformed);
  const uint32_t ihl = (ip[0] & 0x0fu) * 4u;
  const uint32_t total_len = load_be16(ip + 2);
  if (ihl < kIPv4MinHeaderLen || total_len < ihl) return drop(p, channel::kDropMalformed);
  if (l3 + total_len > len) return drop(p, channel::kDropTooShort);
  p.family = Family::kIPv4;
  p.src_addr = ip + 12;
  p.dst_addr = ip + 16;
  if (ip[9] != kIpProtoUdp) return exception(p);

  const uint32_t l4 = l3 + ihl;
  const uint32_t l4_end = l3 + total_len;
  const uint16_t frag = load_be16(ip + 6);
  const bool more_fragments = frag & 0x2000;
  const uint16_t frag_offset = frag & 0x1fff;
  if (more_fragments || frag_offset != 0) {
    // Only a first fragment shows its UDP port; later ones go to the kernel, which discards them
    // once reassembly of a media datagram times out. SIP over UDP fragments reassemble there.
    if (frag_offset == 0 && udp_to_media(frame, l4, l4_end, media))
      return drop(p, channel::kDropFragment);
    return exception(p);
  }
  if (ihl > kIPv4MinHeaderLen) {
    return udp_to_media(frame, l4, l4_end, media) ? drop(p, channel::kDropIpOptions)
                                                  : exception(p);
  }
  ParsedPacket r = classify_udp(p, frame, l4, l4_end, media);
  if (r.verdict == Verdict::kMedia && ip[8] == 0) return drop(r, channel::kDropTtl);
  return r;
}

bool is_ipv6_extension(uint8_t next) { return next == 0 || next == 43 || next == 60 || next == 44; }

ParsedPacket parse_ipv6(ParsedPacket p, const uint8_t* frame, uint32_t len, MediaPortRange media) {
  const uint32_t l3 = p.l3_offset;
  if (l3 + kIPv6HeaderLen > len) return drop(p, channel::kDropTooShort);
  const uint8_t* ip = frame + l3;
  if ((ip[0] >> 4) != 6) return drop(p, channel::kDropMalformed);
  const uint32_t l4_end = l3 + kIPv6HeaderLen + load_be16(ip + 4);
  if (l4_end > len) return drop(p, channel::kDropTooShort);
  p.family = Family::kIPv6;
  p.src_addr = ip + 8;
  p.dst_addr = ip + 24;

  uint8_t next = ip[6];
  uint32_t l4 = l3 + kIPv6HeaderLen;
  if (next == kIpProtoUdp) {
    ParsedPacket r = classify_udp(p, frame, l4, l4_end, media);
    if (r.verdict == Verdict::kMedia && ip[7] == 0) return drop(r, channel::kDropTtl);
    return r;
  }
  // Extension headers: walk a bounded number to see whether media hides behind them.
  WorkerDrop reason = channel::kDropIpOptions;
  for (unsigned i = 0; i < kMaxIPv6ExtHeaders && is_ipv6_extension(next); ++i) {
    if (l4 + 8 > l4_end) return exception(p);
    const uint8_t* ext = frame + l4;
    if (next == 44) {
      reason = channel::kDropFragment;
      if ((load_be16(ext + 2) & 0xfff8) != 0) return exception(p);  // not a first fragment
      next = ext[0];
      l4 += 8;
    } else {
      next = ext[0];
      l4 += (ext[1] + 1u) * 8u;
    }
  }
  if (next == kIpProtoUdp && udp_to_media(frame, l4, l4_end, media)) return drop(p, reason);
  return exception(p);
}

}  // namespace

ParsedPacket parse_frame(const uint8_t* frame, uint32_t len, MediaPortRange media) {
  ParsedPacket p{};
  p.verdict = Verdict::kDrop;
  if (len < kEthHeaderLen) return drop(p, channel::kDropTooShort);
  uint32_t off = 12;
  uint16_t ether_type = load_be16(frame + off);
  for (unsigned tags = 0; ether_type == kEtherTypeVlan || ether_type == kEtherTypeQinQ; ++tags) {
    if (tags == kMaxVlanTags) return drop(p, channel::kDropMalformed);
    if (off + kVlanTagLen + 2 > len) return drop(p, channel::kDropTooShort);
    if (tags == 0) p.vlan = load_be16(frame + off + 2) & 0x0fff;
    off += kVlanTagLen;
    ether_type = load_be16(frame + off);
  }
  p.l3_offset = static_cast<uint16_t>(off + 2);
  switch (ether_type) {
    case kEtherTypeIPv4:
      return parse_ipv4(p, frame, len, media);
    case kEtherTypeIPv6:
      return parse_ipv6(p, frame, len, media);
    default:
      return exception(p);
  }
}

}  // namespace trunkgate::dp
