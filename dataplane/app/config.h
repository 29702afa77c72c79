// trunkgate-dp configuration: a YAML file (or the embedded default) plus command-line overrides.
// Every problem is reported as "where: what is wrong" with the file, line and column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/channel/schema.h"
#include "dataplane/core/interface.h"

namespace trunkgate::dp {

struct StaticNeighbor {
  channel::IpAddr addr;
  uint8_t mac[6];
};

struct InterfaceConfig {
  std::string name;
  std::string device;  // a vdev spec ("net_af_packet0,iface=eth1") or a PCI address
  std::string tap;     // kernel interface of the exception path; empty: none
  uint16_t vlan = 0;
  std::vector<InterfaceAddress> addresses;
  channel::IpAddr gateway4{};
  channel::IpAddr gateway6{};
  std::vector<StaticNeighbor> neighbors;
};

enum class HugepageMode { kAuto, kRequired, kOff };

struct DpConfig {
  std::string source = "embedded default";
  std::string instance = "default";
  unsigned workers = 1;
  std::vector<unsigned> cpus;  // main lcore first, then one per worker; empty: 0,1,2...
  unsigned memory_mb = 1024;
  HugepageMode hugepages = HugepageMode::kAuto;
  unsigned flows_per_worker = 65536;
  unsigned treated_flows_per_worker = 4096;  // flows with a media treatment; <= flows_per_worker
  uint16_t media_port_min = 20000;
  uint16_t media_port_max = 29999;
  unsigned worker_idle_sleep_us = 0;
  unsigned neighbor_refresh_s = 30;
  std::string dpdk_log_level = "warning";
  std::vector<InterfaceConfig> interfaces;
};

// The configuration the README's run command uses: two af_packet ports on the veth ends that
// deploy/demo-netns.sh creates ("pbx" side and "carrier" side), one worker.
extern const char* const kEmbeddedDefaultConfig;

std::optional<DpConfig> parse_config(const std::string& yaml_text, const std::string& source,
                                     std::string& error);
std::optional<DpConfig> load_config_file(const std::string& path, std::string& error);

// "0-2,4" -> {0,1,2,4}; false on syntax errors.
bool parse_cpu_list(const std::string& text, std::vector<unsigned>& out);
bool parse_mac(const std::string& text, uint8_t out[6]);

}  // namespace trunkgate::dp
