// net_ring ports for tests: a started DPDK port whose RX and TX are rings the test reads and
// writes directly, and helpers to turn ring contents back into bytes.
#pragma once

#include <rte_mempool.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trunkgate::test {

struct RingPort {
  rte_ring* rx = nullptr;  // the test enqueues frames the port receives
  rte_ring* tx = nullptr;  // what the port sent
  uint16_t id = 0;
};

// Names must be unique for the process: virtual devices keep theirs on the vdev bus after close.
RingPort make_ring_port(const std::string& name, rte_mempool* pool, unsigned slots = 1024);
void destroy_ring_port(RingPort& port);

// Dequeues every mbuf, returning their bytes and freeing them.
std::vector<std::vector<uint8_t>> drain_frames(rte_ring* ring);
// A pool mbuf holding `bytes`, received on `port`.
rte_mbuf* frame_mbuf(rte_mempool* pool, const std::vector<uint8_t>& bytes, uint16_t port);

}  // namespace trunkgate::test
