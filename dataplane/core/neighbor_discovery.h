// ARP (RFC 826) and IPv6 Neighbor Discovery (RFC 4861) frames the main lcore sends to resolve
// next hops, and what it learns from the ones it sees on the exception path. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

inline constexpr size_t kMaxResolutionFrame = 14 + 4 + 40 + 32;

// Returns the frame length written to `out` (kMaxResolutionFrame bytes available).
size_t build_arp_request(uint8_t* out, const uint8_t src_mac[6], uint16_t vlan,
                         const uint8_t sender_ip[4], const uint8_t target_ip[4]);
size_t build_neighbor_solicitation(uint8_t* out, const uint8_t src_mac[6], uint16_t vlan,
                                   const uint8_t src_ip[16], const uint8_t target_ip[16]);

struct LearnedNeighbor {
  channel::IpAddr addr;
  uint8_t mac[6];
};

// ARP requests and replies (sender), Neighbor Advertisements (target + target link-layer
// address) and Neighbor Solicitations (source + source link-layer address).
bool learn_neighbor(const uint8_t* frame, uint32_t len, LearnedNeighbor& out);

}  // namespace trunkgate::dp
