#include "dataplane/core/interface.h"

#include <cstring>

namespace trunkgate::dp {

bool same_address(const channel::IpAddr& a, const channel::IpAddr& b) {
  if (a.family != b.family) return false;
  return std::memcmp(a.bytes, b.bytes, a.family == channel::Family::kIPv4 ? 4 : 16) == 0;
}

bool in_subnet(const channel::IpAddr& addr, const InterfaceAddress& net) {
  if (addr.family != net.addr.family) return false;
  const unsigned bits = net.prefix_len;
  const unsigned full = bits / 8;
  if (std::memcmp(addr.bytes, net.addr.bytes, full) != 0) return false;
  if (bits % 8 == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits % 8));
  return (addr.bytes[full] & mask) == (net.addr.bytes[full] & mask);
}

bool has_address(const Interface& iface, const channel::IpAddr& addr) {
  for (const InterfaceAddress& a : iface.addresses)
    if (same_address(a.addr, addr)) return true;
  return false;
}

bool is_gateway_address(const std::vector<Interface>& ifaces, const channel::IpAddr& addr) {
  for (const Interface& i : ifaces)
    if (has_address(i, addr)) return true;
  return false;
}

channel::IpAddr next_hop(const Interface& iface, const channel::IpAddr& remote) {
  for (const InterfaceAddress& a : iface.addresses)
    if (in_subnet(remote, a)) return remote;
  const channel::IpAddr& gw =
      remote.family == channel::Family::kIPv4 ? iface.gateway4 : iface.gateway6;
  return gw.family == remote.family ? gw : remote;
}

const InterfaceAddress* first_address(const Interface& iface, channel::Family family) {
  for (const InterfaceAddress& a : iface.addresses)
    if (a.addr.family == family) return &a;
  return nullptr;
}

}  // namespace trunkgate::dp
