// A media interface of the gateway: one DPDK port (optionally one VLAN on it), the gateway's
// addresses on it (they also live on its TAP, where the kernel and trunkgate-cp use them), and how
// to reach off-link peers. Built at start-up; read-only afterwards, so every lcore may read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

struct InterfaceAddress {
  channel::IpAddr addr;
  uint8_t prefix_len;
};

struct Interface {
  std::string name;
  uint16_t port_id = 0;
  uint16_t tap_port_id = UINT16_MAX;  // UINT16_MAX: no exception path (tests, benchmarks)
  uint16_t vlan = 0;
  uint8_t mac[6] = {};
  bool tx_checksum_offload = false;
  std::vector<InterfaceAddress> addresses;
  channel::IpAddr gateway4{};
  channel::IpAddr gateway6{};
};

bool same_address(const channel::IpAddr& a, const channel::IpAddr& b);
bool in_subnet(const channel::IpAddr& addr, const InterfaceAddress& net);
bool has_address(const Interface& iface, const channel::IpAddr& addr);
bool is_gateway_address(const std::vector<Interface>& ifaces, const channel::IpAddr& addr);
// The on-link neighbor packets to `remote` go to: `remote` itself when a subnet of the interface
// holds it, else the interface's gateway of that family, else `remote` (proxy-ARP networks).
channel::IpAddr next_hop(const Interface& iface, const channel::IpAddr& remote);
// The interface's first address of a family (the source of ARP/ND requests); nullptr if none.
const InterfaceAddress* first_address(const Interface& iface, channel::Family family);

}  // namespace trunkgate::dp
