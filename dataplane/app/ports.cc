#include "dataplane/app/ports.h"

#include <net/if.h>
#include <rte_bus_vdev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstring>

#include "dataplane/app/eal_setup.h"
#include "dataplane/app/steering.h"
#include "dataplane/app/tap_addresses.h"
#include "dataplane/channel/client.h"

namespace trunkgate::dp {
namespace {

std::string mac_text(const uint8_t mac[6]) {
  char buf[18];
  std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
                mac[4], mac[5]);
  return buf;
}

// "net_af_packet0,iface=eth1" -> name "net_af_packet0", args "iface=eth1".
void split_device(const std::string& device, std::string& name, std::string& args) {
  const size_t comma = device.find(',');
  name = device.substr(0, comma);
  args = comma == std::string::npos ? "" : device.substr(comma + 1);
}

std::string kernel_iface_arg(const std::string& args) {
  const size_t at = args.find("iface=");
  if (at == std::string::npos) return "";
  return args.substr(at + 6, args.find(',', at) - (at + 6));
}

bool probe_device(const InterfaceConfig& ic, uint16_t& port_id, std::string& error) {
  std::string name, args;
  split_device(ic.device, name, args);
  if (!is_pci_address(ic.device)) {
    // af_packet binds to a kernel interface: say so plainly when it is missing.
    const std::string kif = kernel_iface_arg(args);
    if (name.rfind("net_af_packet", 0) == 0 && !kif.empty() && if_nametoindex(kif.c_str()) == 0) {
      error = "interface '" + ic.name + "': kernel interface '" + kif + "' does not exist";
      return false;
    }
    if (rte_vdev_init(name.c_str(), args.c_str()) != 0) {
      error = "interface '" + ic.name + "': cannot create device '" + ic.device + "'";
      return false;
    }
  }
  if (rte_eth_dev_get_port_by_name(name.c_str(), &port_id) != 0) {
    error = "interface '" + ic.name + "': no port for device '" + ic.device + "'" +
            (is_pci_address(ic.device) ? " (is it bound to vfio-pci? see deploy/bind-nic.sh)" : "");
    return false;
  }
  return true;
}

bool start_port(uint16_t port_id, uint16_t rx_queues, uint16_t tx_queues, const PortPlan& plan,
                rte_mempool* pool, uint64_t tx_offloads, uint64_t rss_capa, const std::string& what,
                std::string& error) {
  rte_eth_conf conf{};
  conf.txmode.offloads = tx_offloads;
  constexpr uint64_t kRssTypes = RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP;
  if (rx_queues > 1 && (rss_capa & kRssTypes) != 0) {
    conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
    conf.rx_adv_conf.rss_conf.rss_hf = rss_capa & kRssTypes;
  }
  int rc = rte_eth_dev_configure(port_id, rx_queues, tx_queues, &conf);
  uint16_t nb_rx = static_cast<uint16_t>(plan.rx_descriptors);
  uint16_t nb_tx = static_cast<uint16_t>(plan.tx_descriptors);
  if (rc == 0) rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rx, &nb_tx);
  const int socket = rte_eth_dev_socket_id(port_id);
  for (uint16_t q = 0; rc == 0 && q < rx_queues; ++q)
    rc = rte_eth_rx_queue_setup(port_id, q, nb_rx, socket, nullptr, pool);
  for (uint16_t q = 0; rc == 0 && q < tx_queues; ++q)
    rc = rte_eth_tx_queue_setup(port_id, q, nb_tx, socket, nullptr);
  if (rc == 0) rc = rte_eth_dev_start(port_id);
  if (rc != 0) {
    error = what + ": cannot start port " + std::to_string(port_id) + ": " + rte_strerror(-rc);
    return false;
  }
  return true;
}

bool bring_up_tap(const InterfaceConfig& ic, unsigned index, const Interface& iface,
                  const PortPlan& plan, rte_mempool* pool, uint16_t& tap_port,
                  std::string& error) {
  const std::string name = "net_tap" + std::to_string(index);
  // The TAP shares the port's MAC so the kernel's ARP/ND answers point peers at the port.
  const std::string args = "iface=" + ic.tap + ",mac=" + mac_text(iface.mac);
  if (rte_vdev_init(name.c_str(), args.c_str()) != 0 ||
      rte_eth_dev_get_port_by_name(name.c_str(), &tap_port) != 0) {
    error = "interface '" + ic.name + "': cannot create TAP '" + ic.tap +
            "' (needs root / CAP_NET_ADMIN and /dev/net/tun)";
    return false;
  }
  if (!start_port(tap_port, 1, 1, plan, pool, 0, 0, "TAP " + ic.tap, error)) return false;
  return add_tap_addresses(ic.tap, ic, error);
}

}  // namespace

bool bring_up_ports(const DpConfig& config, const PortPlan& plan, rte_mempool* pool, PortSet& out,
                    std::string& error) {
  out = PortSet{};
  for (unsigned i = 0; i < config.interfaces.size(); ++i) {
    const InterfaceConfig& ic = config.interfaces[i];
    Interface iface;
    iface.name = ic.name;
    iface.vlan = ic.vlan;
    iface.addresses = ic.addresses;
    iface.gateway4 = ic.gateway4;
    iface.gateway6 = ic.gateway6;
    if (!probe_device(ic, iface.port_id, error)) return false;
    for (const Interface& other : out.interfaces) {
      if (other.port_id == iface.port_id) {
        error = "interface '" + ic.name + "': device '" + ic.device + "' is already used by '" +
                other.name + "'";
        return false;
      }
    }
    rte_eth_dev_info info{};
    if (rte_eth_dev_info_get(iface.port_id, &info) != 0) {
      error = "interface '" + ic.name + "': cannot query the device";
      return false;
    }
    // One TX queue per lcore when the device has them; otherwise all lcores share queue 0
    // under a lock (single-queue virtual devices).
    const uint16_t tx_queues =
        static_cast<uint16_t>(std::min<unsigned>(plan.lcores, info.max_tx_queues));
    constexpr uint64_t kCsum = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
    iface.tx_checksum_offload = (info.tx_offload_capa & kCsum) == kCsum;
    const std::string what = "interface '" + ic.name + "'";
    // As many RX queues as workers when the device has them. With rte_flow rules each worker's
    // queue receives exactly its media; without, traffic spreads (RSS, or the device's own
    // fan-out) and the polling worker hands packets to their owners.
    const uint16_t rx_queues =
        static_cast<uint16_t>(std::max(1u, std::min<unsigned>(plan.workers, info.max_rx_queues)));
    if (!start_port(iface.port_id, rx_queues, tx_queues, plan, pool,
                    iface.tx_checksum_offload ? kCsum : 0, info.flow_type_rss_offloads, what,
                    error))
      return false;
    std::string why_not = rx_queues == 1 ? "single RX queue" : "worker count not a power of two";
    const bool steered = steering_possible(plan.workers, rx_queues) &&
                         install_steering_rules(iface.port_id, plan.workers, why_not);
    spdlog::info("{} ({}): {} RX queue(s), {}", what, info.driver_name, rx_queues,
                 steered ? "hardware steering with rte_flow rules on the UDP port"
                         : "software dispatch (" + why_not + ")");
    rte_eth_promiscuous_enable(iface.port_id);  // ND multicast, and af_packet peers' MACs
    rte_ether_addr mac{};
    rte_eth_macaddr_get(iface.port_id, &mac);
    std::memcpy(iface.mac, mac.addr_bytes, 6);
    if (!ic.tap.empty() && !bring_up_tap(ic, i, iface, plan, pool, iface.tap_port_id, error))
      return false;
    out.max_port_id = std::max(out.max_port_id, iface.port_id);
    if (iface.tap_port_id != UINT16_MAX)
      out.max_port_id = std::max(out.max_port_id, iface.tap_port_id);
    out.interfaces.push_back(iface);
    out.rx_queue_count.push_back(rx_queues);
    out.steered.push_back(steered);
    if (out.tx_queue_count.size() <= iface.port_id) out.tx_queue_count.resize(iface.port_id + 1);
    out.tx_queue_count[iface.port_id] = tx_queues;
  }
  out.tx_locks.resize(out.max_port_id + 1);
  out.tx_queue_count.resize(out.max_port_id + 1);
  for (const Interface& i : out.interfaces) {
    if (out.tx_queue_count[i.port_id] < plan.lcores) {
      out.tx_locks[i.port_id] = std::make_unique<rte_spinlock_t>();
      rte_spinlock_init(out.tx_locks[i.port_id].get());
    }
  }
  return true;
}

void stop_ports(const PortSet& ports) {
  for (const Interface& i : ports.interfaces) {
    rte_eth_dev_stop(i.port_id);
    rte_eth_dev_close(i.port_id);
    if (i.tap_port_id != UINT16_MAX) {
      rte_eth_dev_stop(i.tap_port_id);
      rte_eth_dev_close(i.tap_port_id);
    }
  }
}

}  // namespace trunkgate::dp
