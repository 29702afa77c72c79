#include "dataplane/core/neighbor_discovery.h"

#include <cstring>

#include "dataplane/core/checksum.h"
#include "dataplane/core/packet_parser.h"

namespace trunkgate::dp {
namespace {

constexpr uint8_t kNdSolicitation = 135;
constexpr uint8_t kNdAdvertisement = 136;
constexpr uint8_t kOptSourceLinkAddr = 1;
constexpr uint8_t kOptTargetLinkAddr = 2;

uint8_t* write_ethernet(uint8_t* p, const uint8_t dst[6], const uint8_t src[6], uint16_t vlan,
                        uint16_t ether_type) {
  std::memcpy(p, dst, 6);
  std::memcpy(p + 6, src, 6);
  p += 12;
  if (vlan != 0) {
    store_be16(p, kEtherTypeVlan);
    store_be16(p + 2, vlan);
    p += 4;
  }
  store_be16(p, ether_type);
  return p + 2;
}

// Walks ND options (bounded by `end`) for one of type `want`.
const uint8_t* find_link_option(const uint8_t* opt, const uint8_t* end, uint8_t want) {
  while (opt + 8 <= end) {
    const unsigned len = opt[1] * 8u;
    if (len == 0 || opt + len > end) return nullptr;
    if (opt[0] == want) return opt + 2;
    opt += len;
  }
  return nullptr;
}

bool learn_from_nd(const uint8_t* ip, const uint8_t* end, LearnedNeighbor& out) {
  if (ip[6] != kIpProtoIcmpv6 || ip + 40 + 24 > end) return false;
  const uint8_t* icmp = ip + 40;
  const uint8_t* options = icmp + 24;
  const uint8_t* mac = nullptr;
  const uint8_t* addr = nullptr;
  if (icmp[0] == kNdAdvertisement) {
    mac = find_link_option(options, end, kOptTargetLinkAddr);
    addr = icmp + 8;
  } else if (icmp[0] == kNdSolicitation) {
    mac = find_link_option(options, end, kOptSourceLinkAddr);
    addr = ip + 8;
    static const uint8_t kUnspecified[16] = {};
    if (std::memcmp(addr, kUnspecified, 16) == 0) return false;  // DAD probe
  }
  if (mac == nullptr) return false;
  out.addr = channel::IpAddr{};
  out.addr.family = channel::Family::kIPv6;
  std::memcpy(out.addr.bytes, addr, 16);
  std::memcpy(out.mac, mac, 6);
  return true;
}

}  // namespace

size_t build_arp_request(uint8_t* out, const uint8_t src_mac[6], uint16_t vlan,
                         const uint8_t sender_ip[4], const uint8_t target_ip[4]) {
  static const uint8_t kBroadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  uint8_t* p = write_ethernet(out, kBroadcast, src_mac, vlan, kEtherTypeArp);
  store_be16(p, 1);       // hardware: Ethernet
  store_be16(p + 2, kEtherTypeIPv4);
  p[4] = 6;
  p[5] = 4;
  store_be16(p + 6, 1);   // request
  std::memcpy(p + 8, src_mac, 6);
  std::memcpy(p + 14, sender_ip, 4);
  std::memset(p + 18, 0, 6);
  std::memcpy(p + 24, target_ip, 4);
  p += 28;
  const size_t len = static_cast<size_t>(p - out);
  if (len < 60) {  // minimum Ethernet frame without FCS
    std::memset(p, 0, 60 - len);
    return 60;
  }
  return len;
}

size_t build_neighbor_solicitation(uint8_t* out, const uint8_t src_mac[6], uint16_t vlan,
                                   const uint8_t src_ip[16], const uint8_t target_ip[16]) {
  // Solicited-node multicast address ff02::1:ffXX:XXXX and its MAC 33:33:ff:XX:XX:XX.
  uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
  std::memcpy(group + 13, target_ip + 13, 3);
  const uint8_t group_mac[6] = {0x33, 0x33, 0xff, target_ip[13], target_ip[14], target_ip[15]};
  uint8_t* p = write_ethernet(out, group_mac, src_mac, vlan, kEtherTypeIPv6);
  constexpr uint16_t kPayloadLen = 24 + 8;  // NS + source link-layer address option
  store_be32(p, 6u << 28);
  store_be16(p + 4, kPayloadLen);
  p[6] = kIpProtoIcmpv6;
  p[7] = 255;  // RFC 4861: hop limit 255 proves the sender is on-link
  std::memcpy(p + 8, src_ip, 16);
  std::memcpy(p + 24, group, 16);
  uint8_t* icmp = p + 40;
  std::memset(icmp, 0, kPayloadLen);
  icmp[0] = kNdSolicitation;
  std::memcpy(icmp + 8, target_ip, 16);
  icmp[24] = kOptSourceLinkAddr;
  icmp[25] = 1;
  std::memcpy(icmp + 26, src_mac, 6);
  uint32_t sum = csum_add_bytes(src_ip, 16);
  sum = csum_add_bytes(group, 16, sum);
  sum += kPayloadLen + kIpProtoIcmpv6;
  sum = csum_add_bytes(icmp, kPayloadLen, sum);
  store_be16(icmp + 2, static_cast<uint16_t>(~csum_fold(sum)));
  return static_cast<size_t>(icmp + kPayloadLen - out);
}

bool learn_neighbor(const uint8_t* frame, uint32_t len, LearnedNeighbor& out) {
  if (len < 14) return false;
  uint32_t off = 12;
  uint16_t type = load_be16(frame + off);
  if (type == kEtherTypeVlan) {
    if (len < 18) return false;
    off += 4;
    type = load_be16(frame + off);
  }
  const uint8_t* l3 = frame + off + 2;
  const uint8_t* end = frame + len;
  if (type == kEtherTypeArp) {
    if (l3 + 28 > end || load_be16(l3) != 1 || load_be16(l3 + 2) != kEtherTypeIPv4 ||
        l3[4] != 6 || l3[5] != 4)
      return false;
    const uint16_t op = load_be16(l3 + 6);
    if (op != 1 && op != 2) return false;
    out.addr = channel::IpAddr{};
    out.addr.family = channel::Family::kIPv4;
    std::memcpy(out.addr.bytes, l3 + 14, 4);
    std::memcpy(out.mac, l3 + 8, 6);
    return true;
  }
  if (type == kEtherTypeIPv6 && l3 + 40 <= end) return learn_from_nd(l3, end, out);
  return false;
}

}  // namespace trunkgate::dp
