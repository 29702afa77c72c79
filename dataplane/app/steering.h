// Hardware steering of media to the owning worker on multi-queue NICs: one RX queue per worker and
// rte_flow rules that match the owner bits of the UDP destination port. Used when the worker count
// is a power of two (so owner_of_port is a bit mask) and the device accepts the rules; otherwise
// the port runs in software-dispatch mode (one RX queue, packets handed to owners over rings).
#pragma once

#include <cstdint>
#include <string>

namespace trunkgate::dp {

struct PortMatch {
  uint16_t spec;
  uint16_t mask;
};

// The UDP destination-port match selecting the packets owned by `worker` of `n_workers`
// (n_workers a power of two): (port & mask) == spec  <=>  owner_of_port(port) == worker.
PortMatch owner_port_match(unsigned worker, unsigned n_workers);

bool steering_possible(unsigned n_workers, unsigned max_rx_queues);

// Installs one rule per worker and IP family on a configured, started port with n_workers RX
// queues. On failure removes what it installed and says why.
bool install_steering_rules(uint16_t port_id, unsigned n_workers, std::string& why_not);

}  // namespace trunkgate::dp
