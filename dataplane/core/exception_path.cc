#include "dataplane/core/exception_path.h"

#include <rte_ethdev.h>
#include <rte_ring_elem.h>

#include <cstring>

namespace trunkgate::dp {
namespace {
constexpr unsigned kRefreshScanPerPoll = 64;
}  // namespace

void ExceptionPath::init(ExceptionSetup setup) {
  s_ = std::move(setup);
  last_sent_.assign(s_.neighbors->capacity(), 0);
  is_static_.assign(s_.neighbors->capacity(), 0);
}

bool ExceptionPath::add_static(uint16_t interface, const channel::IpAddr& addr,
                               const uint8_t mac[6]) {
  const int32_t idx = s_.neighbors->insert(make_neighbor_key(interface, addr));
  if (idx == NeighborTable::kNone) return false;
  s_.neighbors->set_mac(idx, mac);
  is_static_[idx] = 1;
  used_ = std::max(used_, static_cast<unsigned>(idx) + 1);
  return true;
}

bool ExceptionPath::transmit(uint16_t port, rte_mbuf** pkts, uint16_t n) {
  const TxQueue& q = s_.tx[port];
  if (q.lock != nullptr) rte_spinlock_lock(q.lock);
  const uint16_t sent = rte_eth_tx_burst(port, q.queue, pkts, n);
  if (q.lock != nullptr) rte_spinlock_unlock(q.lock);
  if (sent < n) {
    c_.dropped += n - sent;
    rte_pktmbuf_free_bulk(pkts + sent, n - sent);
  }
  return sent > 0;
}

bool ExceptionPath::wire_to_kernel(const Interface& iface, uint16_t iface_index) {
  rte_ring* ring = s_.exception[iface.port_id];
  rte_mbuf* pkts[kBurst];
  const unsigned n = rte_ring_dequeue_burst(ring, reinterpret_cast<void**>(pkts), kBurst, nullptr);
  if (n == 0) return false;
  for (unsigned i = 0; i < n; ++i) {
    LearnedNeighbor learned;
    if (learn_neighbor(rte_pktmbuf_mtod(pkts[i], const uint8_t*), rte_pktmbuf_data_len(pkts[i]),
                       learned)) {
      const int32_t idx = s_.neighbors->find(make_neighbor_key(iface_index, learned.addr));
      if (idx != NeighborTable::kNone && !is_static_[idx]) {
        s_.neighbors->set_mac(idx, learned.mac);
        ++c_.neighbors_learned;
      }
    }
    // The TAP is untagged: the kernel sees the interface's traffic as plain Ethernet.
    if (iface.vlan != 0) rte_vlan_strip(pkts[i]);
  }
  const uint16_t sent = rte_eth_tx_burst(iface.tap_port_id, 0, pkts, static_cast<uint16_t>(n));
  c_.to_kernel += sent;
  if (sent < n) {
    c_.dropped += n - sent;
    rte_pktmbuf_free_bulk(pkts + sent, n - sent);
  }
  return true;
}

bool ExceptionPath::kernel_to_wire(const Interface& iface) {
  rte_mbuf* pkts[kBurst];
  const uint16_t n = rte_eth_rx_burst(iface.tap_port_id, 0, pkts, kBurst);
  if (n == 0) return false;
  for (uint16_t i = 0; i < n; ++i) {
    if (iface.vlan != 0) {
      pkts[i]->vlan_tci = iface.vlan;
      rte_vlan_insert(&pkts[i]);
    }
  }
  c_.from_kernel += n;
  transmit(iface.port_id, pkts, n);
  return true;
}

void ExceptionPath::send_request(int32_t index, uint64_t now) {
  last_sent_[index] = now;
  const NeighborKey& key = s_.neighbors->key_at(index);
  if (key.interface >= s_.interfaces->size()) return;
  const Interface& iface = (*s_.interfaces)[key.interface];
  const InterfaceAddress* src = first_address(iface, key.family);
  if (src == nullptr) return;  // no address of that family to ask from
  rte_mbuf* m = rte_pktmbuf_alloc(s_.pool);
  if (m == nullptr) {
    ++c_.dropped;
    return;
  }
  uint8_t* frame = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, kMaxResolutionFrame));
  const size_t len = key.family == channel::Family::kIPv4
                         ? build_arp_request(frame, iface.mac, iface.vlan, src->addr.bytes, key.addr)
                         : build_neighbor_solicitation(frame, iface.mac, iface.vlan,
                                                       src->addr.bytes, key.addr);
  rte_pktmbuf_trim(m, static_cast<uint16_t>(kMaxResolutionFrame - len));
  ++c_.requests_sent;
  transmit(iface.port_id, &m, 1);
}

bool ExceptionPath::serve_requests(uint64_t now) {
  NeighborKey keys[kBurst];
  const unsigned n = s_.neighbors->drain_requests(keys, kBurst);
  for (unsigned i = 0; i < n; ++i) {
    const int32_t idx = s_.neighbors->insert(keys[i]);
    if (idx == NeighborTable::kNone) {
      ++c_.dropped;  // table full: the flow keeps counting no_neighbor drops
      continue;
    }
    used_ = std::max(used_, static_cast<unsigned>(idx) + 1);
    uint8_t mac[6];
    if (!s_.neighbors->mac(idx, mac)) send_request(idx, now);
  }
  return n > 0;
}

// Unresolved next hops are asked again every second; resolved ones every refresh_s, so a peer
// that changed its MAC (failover) is followed. A stale MAC is kept until a new answer arrives.
void ExceptionPath::refresh(uint64_t now) {
  if (used_ == 0) return;
  for (unsigned i = 0; i < kRefreshScanPerPoll; ++i) {
    if (++refresh_cursor_ >= used_) refresh_cursor_ = 0;
    const int32_t idx = static_cast<int32_t>(refresh_cursor_);
    if (is_static_[idx]) continue;
    uint8_t mac[6];
    const uint64_t interval = s_.neighbors->mac(idx, mac) ? s_.tsc_hz * s_.refresh_s : s_.tsc_hz;
    if (now - last_sent_[idx] >= interval) send_request(idx, now);
  }
}

bool ExceptionPath::poll_once(uint64_t now) {
  bool busy = false;
  for (uint16_t i = 0; i < s_.interfaces->size(); ++i) {
    const Interface& iface = (*s_.interfaces)[i];
    if (iface.tap_port_id == UINT16_MAX) continue;
    busy |= wire_to_kernel(iface, i);
    busy |= kernel_to_wire(iface);
  }
  busy |= serve_requests(now);
  refresh(now);
  return busy;
}

void ExceptionPath::drain() {
  for (rte_ring* ring : s_.exception) {
    if (ring == nullptr) continue;
    rte_mbuf* pkts[kBurst];
    unsigned n;
    while ((n = rte_ring_dequeue_burst(ring, reinterpret_cast<void**>(pkts), kBurst, nullptr)) > 0)
      rte_pktmbuf_free_bulk(pkts, n);
  }
}

}  // namespace trunkgate::dp
