// The main lcore's share of the packet work: the exception path between each data port and its
// TAP (ARP, ND, ICMP, SIP, management in both directions) and next-hop resolution for media.
// Not a fast path: it runs on the main lcore, which may sleep when idle.
#pragma once

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <cstdint>
#include <vector>

#include "dataplane/core/interface.h"
#include "dataplane/core/neighbor_discovery.h"
#include "dataplane/core/neighbor_table.h"
#include "dataplane/core/worker.h"

namespace trunkgate::dp {

struct ExceptionCounters {
  uint64_t to_kernel = 0;    // frames written to a TAP
  uint64_t from_kernel = 0;  // frames the kernel sent out of a port
  uint64_t dropped = 0;      // TAP or port refused them
  uint64_t requests_sent = 0;
  uint64_t neighbors_learned = 0;
};

struct ExceptionSetup {
  const std::vector<Interface>* interfaces = nullptr;
  std::vector<rte_ring*> exception;  // per DPDK port id (data ports)
  std::vector<TxQueue> tx;           // per DPDK port id: the main lcore's TX queue
  NeighborTable* neighbors = nullptr;
  rte_mempool* pool = nullptr;
  uint64_t tsc_hz = 0;
  unsigned refresh_s = 30;
};

class ExceptionPath {
 public:
  void init(ExceptionSetup setup);
  // Adds a static neighbor (configuration): resolved for good, never refreshed.
  bool add_static(uint16_t interface, const channel::IpAddr& addr, const uint8_t mac[6]);
  bool poll_once(uint64_t now_tsc);  // true if it moved anything
  void drain();                      // shutdown: free what is queued
  const ExceptionCounters& counters() const { return c_; }

 private:
  bool wire_to_kernel(const Interface& iface, uint16_t iface_index);
  bool kernel_to_wire(const Interface& iface);
  bool serve_requests(uint64_t now);
  void refresh(uint64_t now);
  void send_request(int32_t index, uint64_t now);
  bool transmit(uint16_t port, rte_mbuf** pkts, uint16_t n);

  ExceptionSetup s_;
  ExceptionCounters c_;
  std::vector<uint64_t> last_sent_;  // per neighbor index
  std::vector<uint8_t> is_static_;
  unsigned used_ = 0;                // neighbor indexes below this have been handed out
  unsigned refresh_cursor_ = 0;
};

}  // namespace trunkgate::dp
