// Classifies a received Ethernet frame: media (UDP into the media port range), exception (anything
// the kernel should see: ARP, ND, ICMP, SIP, management), or a drop with its reason. Pure function
// over bytes, bounded by the frame length: hostile frames can only ever produce a drop reason.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

inline constexpr uint16_t kEtherTypeIPv4 = 0x0800;
inline constexpr uint16_t kEtherTypeIPv6 = 0x86dd;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;
inline constexpr uint16_t kEtherTypeQinQ = 0x88a8;
inline constexpr uint8_t kIpProtoUdp = 17;
inline constexpr uint8_t kIpProtoIcmpv6 = 58;

struct MediaPortRange {
  uint16_t min;
  uint16_t max;
  bool contains(uint16_t port) const { return port >= min && port <= max; }
};

enum class Verdict : uint8_t { kMedia, kException, kDrop };

// Offsets are from the start of the frame; addresses point into it.
struct ParsedPacket {
  Verdict verdict;
  channel::WorkerDrop drop;  // with kDrop
  channel::Family family;
  uint16_t vlan;             // outermost VLAN id, 0 if untagged
  uint16_t l3_offset;
  uint16_t l4_offset;
  uint16_t payload_offset;
  uint16_t payload_len;
  uint16_t src_port;         // host order
  uint16_t dst_port;
  uint16_t udp_checksum;     // as received (host order); 0 = none (IPv4 only)
  const uint8_t* src_addr;   // 4 or 16 bytes
  const uint8_t* dst_addr;
};

ParsedPacket parse_frame(const uint8_t* frame, uint32_t len, MediaPortRange media);

}  // namespace trunkgate::dp
