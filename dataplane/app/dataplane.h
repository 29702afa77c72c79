// trunkgate-dp as a whole: EAL, ports, the shared region, the workers on their lcores and the
// main lcore loop. start() reports every failure as one precise line; run() returns on stop.
#pragma once

#include <rte_mempool.h>
#include <rte_ring.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/app/config.h"
#include "dataplane/app/ports.h"
#include "dataplane/channel/region.h"
#include "dataplane/core/exception_path.h"
#include "dataplane/core/neighbor_table.h"
#include "dataplane/core/worker.h"

namespace trunkgate::dp {

class Dataplane {
 public:
  bool start(const DpConfig& config, std::string& error);
  // Runs the main lcore loop until `stop` becomes true, then drains and stops the workers.
  void run(const std::atomic<bool>& stop);
  void shutdown();
  void print_summary() const;

 private:
  bool init_eal(std::string& error);
  bool create_shared_state(std::string& error);
  bool build_workers(std::string& error);
  void publish_port_stats();
  void publish_exception_stats();
  void release_dpdk_objects();  // everything EAL owns, before rte_eal_cleanup()
  static int worker_main(void* arg);

  struct WorkerSlot {
    Dataplane* owner;
    Worker worker;
    unsigned lcore;
  };

  DpConfig config_;
  bool eal_up_ = false;
  rte_mempool* pool_ = nullptr;
  PortSet ports_;
  channel::Region region_;
  std::unique_ptr<NeighborTable> neighbors_ = std::make_unique<NeighborTable>();
  std::vector<rte_ring*> handoff_;
  std::vector<rte_ring*> exception_;  // per DPDK port id
  std::vector<std::unique_ptr<WorkerSlot>> workers_;
  ExceptionPath exception_path_;
  const std::atomic<bool>* stop_ = nullptr;
  std::atomic<bool> workers_stop_{false};
};

}  // namespace trunkgate::dp
