#include "dataplane/app/steering.h"

#include <arpa/inet.h>
#include <rte_flow.h>

namespace trunkgate::dp {

PortMatch owner_port_match(unsigned worker, unsigned n_workers) {
  return {static_cast<uint16_t>(worker << 1), static_cast<uint16_t>((n_workers - 1) << 1)};
}

bool steering_possible(unsigned n_workers, unsigned max_rx_queues) {
  const bool power_of_two = (n_workers & (n_workers - 1)) == 0;
  return n_workers > 1 && power_of_two && max_rx_queues >= n_workers;
}

namespace {

bool install_rule(uint16_t port_id, bool ipv6, PortMatch m, uint16_t queue, rte_flow_error& err) {
  rte_flow_attr attr{};
  attr.ingress = 1;
  rte_flow_item_udp udp_spec{};
  rte_flow_item_udp udp_mask{};
  udp_spec.hdr.dst_port = htons(m.spec);
  udp_mask.hdr.dst_port = htons(m.mask);
  rte_flow_item pattern[4] = {};
  pattern[0].type = RTE_FLOW_ITEM_TYPE_ETH;
  pattern[1].type = ipv6 ? RTE_FLOW_ITEM_TYPE_IPV6 : RTE_FLOW_ITEM_TYPE_IPV4;
  pattern[2].type = RTE_FLOW_ITEM_TYPE_UDP;
  pattern[2].spec = &udp_spec;
  pattern[2].mask = &udp_mask;
  pattern[3].type = RTE_FLOW_ITEM_TYPE_END;
  rte_flow_action_queue q{};
  q.index = queue;
  rte_flow_action actions[2] = {};
  actions[0].type = RTE_FLOW_ACTION_TYPE_QUEUE;
  actions[0].conf = &q;
  actions[1].type = RTE_FLOW_ACTION_TYPE_END;
  if (rte_flow_validate(port_id, &attr, pattern, actions, &err) != 0) return false;
  return rte_flow_create(port_id, &attr, pattern, actions, &err) != nullptr;
}

}  // namespace

bool install_steering_rules(uint16_t port_id, unsigned n_workers, std::string& why_not) {
  for (unsigned w = 0; w < n_workers; ++w) {
    for (bool ipv6 : {false, true}) {
      rte_flow_error err{};
      if (!install_rule(port_id, ipv6, owner_port_match(w, n_workers), static_cast<uint16_t>(w),
                        err)) {
        why_not = std::string("rte_flow rule refused: ") +
                  (err.message != nullptr ? err.message : "no reason given");
        rte_flow_error flush_err{};
        rte_flow_flush(port_id, &flush_err);
        return false;
      }
    }
  }
  return true;
}

}  // namespace trunkgate::dp
