#include "tests/dataplane/ring_port.h"

#include <gtest/gtest.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <cstring>

namespace trunkgate::test {

RingPort make_ring_port(const std::string& name, rte_mempool* pool, unsigned slots) {
  RingPort p;
  p.rx = rte_ring_create((name + "-rx").c_str(), slots, 0, 0);
  p.tx = rte_ring_create((name + "-tx").c_str(), slots, 0, 0);
  const int id = rte_eth_from_rings(name.c_str(), &p.rx, 1, &p.tx, 1, 0);
  EXPECT_GE(id, 0) << name;
  p.id = static_cast<uint16_t>(id);
  // Burst functions are live only after start (before it, DPDK's stubs return nothing).
  rte_eth_conf conf{};
  EXPECT_EQ(rte_eth_dev_configure(p.id, 1, 1, &conf), 0);
  EXPECT_EQ(rte_eth_rx_queue_setup(p.id, 0, static_cast<uint16_t>(slots), 0, nullptr, pool), 0);
  EXPECT_EQ(rte_eth_tx_queue_setup(p.id, 0, static_cast<uint16_t>(slots), 0, nullptr), 0);
  EXPECT_EQ(rte_eth_dev_start(p.id), 0);
  return p;
}

void destroy_ring_port(RingPort& p) {
  drain_frames(p.rx);
  drain_frames(p.tx);
  rte_eth_dev_stop(p.id);
  rte_eth_dev_close(p.id);
  rte_ring_free(p.rx);
  rte_ring_free(p.tx);
  p = RingPort{};
}

std::vector<std::vector<uint8_t>> drain_frames(rte_ring* ring) {
  std::vector<std::vector<uint8_t>> out;
  void* obj = nullptr;
  while (rte_ring_dequeue(ring, &obj) == 0) {
    auto* m = static_cast<rte_mbuf*>(obj);
    const uint8_t* d = rte_pktmbuf_mtod(m, const uint8_t*);
    out.emplace_back(d, d + rte_pktmbuf_data_len(m));
    rte_pktmbuf_free(m);
  }
  return out;
}

rte_mbuf* frame_mbuf(rte_mempool* pool, const std::vector<uint8_t>& bytes, uint16_t port) {
  rte_mbuf* m = rte_pktmbuf_alloc(pool);
  EXPECT_NE(m, nullptr);
  std::memcpy(rte_pktmbuf_append(m, static_cast<uint16_t>(bytes.size())), bytes.data(),
              bytes.size());
  m->port = port;
  return m;
}

}  // namespace trunkgate::test
