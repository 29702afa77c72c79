// A worker wired to net_ring ports in this process: the test puts frames on a port's RX ring,
// steps the worker with poll_once() at a time it chooses, and reads what the worker sent from the
// port's TX ring. Real DPDK ports, rings and hash tables; the test plays the main lcore (static
// neighbors) and the control plane (a channel Client on a real shared-memory region).
#pragma once

#include <rte_mempool.h>
#include <rte_ring.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/channel/client.h"
#include "dataplane/channel/region.h"
#include "dataplane/core/neighbor_table.h"
#include "dataplane/core/worker.h"
#include "tests/dataplane/ring_port.h"

namespace trunkgate::test {

inline const uint8_t kPbxPeerMac[6] = {0x02, 0, 0, 0, 0, 0x10};
inline const uint8_t kCarrierPeerMac[6] = {0x02, 0, 0, 0, 0, 0x20};

class WorkerHarness {
 public:
  explicit WorkerHarness(unsigned n_workers = 1, unsigned treated_capacity = 64);
  ~WorkerHarness();

  // Steps every worker `rounds` times at time `now` (TSC units; 1 ms = tsc_hz/1000).
  void poll(unsigned rounds = 2);
  void inject(unsigned port_index, const std::vector<uint8_t>& frame);
  // For a running worker: false when the port's RX ring is full (the frame is not kept).
  bool try_inject(unsigned port_index, const std::vector<uint8_t>& frame);
  std::vector<std::vector<uint8_t>> sent(unsigned port_index);
  std::vector<std::vector<uint8_t>> exceptions(unsigned port_index);

  // Sends one command and returns every event that answers it.
  std::vector<channel::Event> command(channel::Command cmd, channel::CommandType type);
  channel::FlowSpec relay_spec(uint16_t key_port, const std::string& remote,
                               uint16_t source_port) const;  // pbx side -> carrier side
  std::vector<channel::Event> events();
  // Sends without waiting for the answer (for concurrency tests); returns the sequence number.
  uint32_t send(channel::Command cmd, channel::CommandType type);

  // Runs worker 0 on EAL lcore `lcore` with the real clock until stop_worker().
  void start_worker(unsigned lcore);
  void stop_worker();
  channel::WorkerStats stats(unsigned worker = 0) const { return client_->worker_stats(worker); }
  // Playing the main lcore: learn (or ask about) next hops the harness did not preset.
  dp::NeighborTable& neighbors() { return neighbors_; }

  uint64_t now = 1;
  uint64_t ms = 1;

 private:
  std::string instance_;
  rte_mempool* pool_ = nullptr;
  std::vector<RingPort> ports_;
  std::vector<rte_ring*> exc_, handoff_;
  std::vector<dp::Interface> interfaces_;
  dp::NeighborTable neighbors_;
  channel::Region region_;
  std::optional<channel::Client> client_;
  std::vector<std::unique_ptr<dp::Worker>> workers_;
  std::atomic<bool> stop_{false};
  int running_lcore_ = -1;
};

}  // namespace trunkgate::test
