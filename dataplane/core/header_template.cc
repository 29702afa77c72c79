#include "dataplane/core/header_template.h"

#include <cstring>

#include "dataplane/core/checksum.h"
#include "dataplane/core/packet_parser.h"

namespace trunkgate::dp {
namespace {

constexpr uint8_t kDefaultTtl = 64;

unsigned address_len(channel::Family f) { return f == channel::Family::kIPv4 ? 4 : 16; }

uint8_t* write_ethernet(uint8_t* p, const TemplateParams& params, uint16_t ether_type) {
  std::memset(p, 0, 6);  // destination MAC: filled per packet from the neighbor table
  std::memcpy(p + 6, params.src_mac, 6);
  p += 12;
  if (params.vlan != 0) {
    store_be16(p, kEtherTypeVlan);
    store_be16(p + 2, params.vlan & 0x0fff);
    p += 4;
  }
  store_be16(p, ether_type);
  return p + 2;
}

// Pseudo-header sum without the length (added per packet): addresses and protocol.
uint16_t pseudo_header_sum(const TemplateParams& params) {
  const unsigned alen = address_len(params.source.addr.family);
  uint32_t sum = csum_add_bytes(params.source.addr.bytes, alen);
  sum = csum_add_bytes(params.destination.addr.bytes, alen, sum);
  return csum_fold(sum + kIpProtoUdp);
}

}  // namespace

bool build_template(const TemplateParams& params, HeaderTemplate& out) {
  const channel::Family family = params.source.addr.family;
  if (family != params.destination.addr.family) return false;
  if (family != channel::Family::kIPv4 && family != channel::Family::kIPv6) return false;
  std::memset(&out, 0, sizeof(out));
  out.family = family;
  uint8_t* p = out.bytes;
  const bool v4 = family == channel::Family::kIPv4;
  p = write_ethernet(p, params, v4 ? kEtherTypeIPv4 : kEtherTypeIPv6);
  out.l3_offset = static_cast<uint8_t>(p - out.bytes);
  if (v4) {
    p[0] = 0x45;
    p[1] = static_cast<uint8_t>(params.dscp << 2);
    // total length (2..3), id (4..5), flags/fragment (6..7) = 0: DF clear, as RTP senders do
    p[8] = kDefaultTtl;
    p[9] = kIpProtoUdp;
    std::memcpy(p + 12, params.source.addr.bytes, 4);
    std::memcpy(p + 16, params.destination.addr.bytes, 4);
    out.ip_sum = csum_fold(csum_add_bytes(p, 20));
    p += 20;
  } else {
    const uint32_t vtc_flow = 6u << 28 | static_cast<uint32_t>(params.dscp) << 22;
    store_be32(p, vtc_flow);
    p[6] = kIpProtoUdp;
    p[7] = kDefaultTtl;
    std::memcpy(p + 8, params.source.addr.bytes, 16);
    std::memcpy(p + 24, params.destination.addr.bytes, 16);
    p += 40;
  }
  out.l4_offset = static_cast<uint8_t>(p - out.bytes);
  store_be16(p, params.source.port);
  store_be16(p + 2, params.destination.port);
  out.pseudo_sum = pseudo_header_sum(params);
  out.udp_sum = csum_fold(static_cast<uint32_t>(out.pseudo_sum) + params.source.port +
                          params.destination.port);
  p += 8;
  out.len = static_cast<uint8_t>(p - out.bytes);
  return true;
}

void finish_headers(uint8_t* hdr, const HeaderTemplate& tmpl, uint16_t payload_len,
                    uint16_t payload_sum, bool offload) {
  uint8_t* ip = hdr + tmpl.l3_offset;
  uint8_t* udp = hdr + tmpl.l4_offset;
  const uint16_t udp_len = static_cast<uint16_t>(payload_len + 8);
  store_be16(udp + 4, udp_len);
  if (tmpl.family == channel::Family::kIPv4) {
    const uint16_t total_len = static_cast<uint16_t>(udp_len + 20);
    store_be16(ip + 2, total_len);
    store_be16(ip + 10, offload ? 0 : static_cast<uint16_t>(~csum_fold(tmpl.ip_sum + total_len)));
  } else {
    store_be16(ip + 4, udp_len);
  }
  if (offload) {
    // The NIC completes it; DPDK's TX offload expects the pseudo-header sum (with length) there.
    store_be16(udp + 6, csum_fold(static_cast<uint32_t>(tmpl.pseudo_sum) + udp_len));
    return;
  }
  // The UDP length appears twice: in the pseudo-header and in the UDP header.
  uint16_t sum = csum_fold(static_cast<uint32_t>(tmpl.udp_sum) + udp_len + udp_len + payload_sum);
  sum = static_cast<uint16_t>(~sum);
  store_be16(udp + 6, sum == 0 ? 0xffff : sum);
}

uint16_t payload_sum_from_udp_checksum(channel::Family family, const uint8_t* src_addr,
                                       const uint8_t* dst_addr, const uint8_t* udp) {
  const unsigned alen = address_len(family);
  const uint16_t udp_len = load_be16(udp + 4);
  uint32_t known = csum_add_bytes(src_addr, alen);
  known = csum_add_bytes(dst_addr, alen, known);
  known += kIpProtoUdp + udp_len;                           // pseudo-header
  known += load_be16(udp) + load_be16(udp + 2) + udp_len;  // UDP header without the checksum
  // checksum = ~(known + payload)  =>  payload = ~checksum - known
  return csum_sub(static_cast<uint16_t>(~load_be16(udp + 6)), csum_fold(known));
}

}  // namespace trunkgate::dp
