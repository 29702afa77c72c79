// The headers a flow sends with, prebuilt once per flow (Ethernet [+VLAN] + IPv4/IPv6 + UDP) with
// the constant parts of both checksums pre-summed. Per packet the worker copies the template in
// front of the payload and finishes lengths, destination MAC and checksums.
#pragma once

#include <cstdint>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

inline constexpr unsigned kMaxTemplateLen = 14 + 4 + 40 + 8;

struct TemplateParams {
  uint8_t src_mac[6];
  uint16_t vlan;  // 0: untagged
  uint8_t dscp;
  channel::Endpoint source;
  channel::Endpoint destination;
};

struct HeaderTemplate {
  uint8_t bytes[kMaxTemplateLen];
  uint8_t len;         // whole template
  uint8_t l3_offset;   // where the IP header starts
  uint8_t l4_offset;   // where the UDP header starts
  channel::Family family;
  uint16_t ip_sum;     // IPv4: header words except total length and checksum
  uint16_t pseudo_sum; // pseudo-header addresses + protocol
  uint16_t udp_sum;    // pseudo_sum plus both UDP ports
};

// Returns false when source and destination families differ or are not IPv4/IPv6.
bool build_template(const TemplateParams& params, HeaderTemplate& out);

// Finishes headers already copied from `tmpl` to `hdr` for a payload of `payload_len` bytes whose
// ones'-complement sum is `payload_sum`. With `offload`, leaves checksums for the NIC (IPv4 header
// checksum zero, UDP checksum holding the pseudo-header sum as DPDK's TX offload expects).
void finish_headers(uint8_t* hdr, const HeaderTemplate& tmpl, uint16_t payload_len,
                    uint16_t payload_sum, bool offload);

// The ones'-complement sum of a received UDP payload, recovered from the checksum the sender put in
// the UDP header (no payload walk). `udp` points at the received UDP header.
uint16_t payload_sum_from_udp_checksum(channel::Family family, const uint8_t* src_addr,
                                       const uint8_t* dst_addr, const uint8_t* udp);

}  // namespace trunkgate::dp
