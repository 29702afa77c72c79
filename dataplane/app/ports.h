// Bringing up the gateway's ports: each configured interface's data port (a PCI NIC or a virtual
// device) and its TAP, the kernel end of the exception path, which carries the gateway's addresses.
#pragma once

#include <rte_mempool.h>
#include <rte_spinlock.h>

#include <memory>
#include <string>
#include <vector>

#include "dataplane/app/config.h"
#include "dataplane/core/interface.h"

namespace trunkgate::dp {

struct PortPlan {
  unsigned lcores = 2;         // main + workers: each wants its own TX queue
  unsigned workers = 1;        // RX queues wanted for hardware steering
  unsigned rx_descriptors = 1024;
  unsigned tx_descriptors = 1024;
};

struct PortSet {
  std::vector<Interface> interfaces;          // index = interface id used in flows
  std::vector<uint16_t> rx_queue_count;        // per interface
  std::vector<bool> steered;                   // per interface: rte_flow rules installed
  std::vector<uint16_t> tx_queue_count;        // per DPDK port id
  std::vector<std::unique_ptr<rte_spinlock_t>> tx_locks;  // per DPDK port id; null: own queues
  uint16_t max_port_id = 0;
};

// Probes and starts every data port and TAP; on failure `error` names the interface and the cause.
bool bring_up_ports(const DpConfig& config, const PortPlan& plan, rte_mempool* pool, PortSet& out,
                    std::string& error);
void stop_ports(const PortSet& ports);

}  // namespace trunkgate::dp
