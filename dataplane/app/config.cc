#include "dataplane/app/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "dataplane/channel/client.h"
#include "dataplane/channel/region.h"
#include "dataplane/config/yaml_reader.h"

namespace trunkgate::dp {

const char* const kEmbeddedDefaultConfig = R"(# trunkgate-dp embedded default (demo topology)
instance: default
workers: 1
memory_mb: 512
hugepages: auto
flows_per_worker: 16384
media_ports: 20000-29999
worker_idle_sleep_us: 20
interfaces:
  - name: pbx
    device: net_af_packet0,iface=tg-pbx0
    tap: tgtap-pbx
    addresses: [192.0.2.1/24]
  - name: carrier
    device: net_af_packet1,iface=tg-car0
    tap: tgtap-car
    addresses: [198.51.100.1/24]
)";

namespace {

using config::check_keys;
using config::fail;

unsigned get_uint(const YAML::Node& node, const std::string& key, unsigned min, unsigned max) {
  return config::number(node, key, min, max);
}

std::string get_string(const YAML::Node& node, const std::string& key) {
  return config::text(node, key);
}

channel::IpAddr get_address(const YAML::Node& node, const std::string& key) {
  channel::IpAddr a{};
  if (!channel::parse_address(get_string(node, key), a))
    fail(node, key + ": '" + node.Scalar() + "' is not an IPv4 or IPv6 address");
  return a;
}

InterfaceAddress get_prefix(const YAML::Node& node) {
  const std::string text = get_string(node, "addresses");
  const size_t slash = text.find('/');
  InterfaceAddress ia{};
  if (slash == std::string::npos || !channel::parse_address(text.substr(0, slash), ia.addr))
    fail(node, "addresses: '" + text + "' is not ADDRESS/PREFIX (e.g. 192.0.2.1/24)");
  const unsigned max = ia.addr.family == channel::Family::kIPv4 ? 32 : 128;
  ia.prefix_len = static_cast<uint8_t>(config::prefix_length(node, "addresses", text, slash, max));
  return ia;
}

StaticNeighbor get_neighbor(const YAML::Node& node) {
  check_keys(node, {"address", "mac"}, "neighbors");
  StaticNeighbor n{};
  if (!node["address"] || !node["mac"]) fail(node, "neighbors: needs address and mac");
  n.addr = get_address(node["address"], "neighbors.address");
  if (!parse_mac(get_string(node["mac"], "neighbors.mac"), n.mac))
    fail(node["mac"], "neighbors.mac: '" + node["mac"].Scalar() + "' is not a MAC address");
  return n;
}

InterfaceConfig get_interface(const YAML::Node& node) {
  check_keys(node, {"name", "device", "tap", "vlan", "addresses", "gateway", "gateway6",
                    "neighbors"},
             "interfaces");
  InterfaceConfig ic;
  if (!node["name"]) fail(node, "interfaces: every interface needs a name");
  if (!node["device"]) fail(node, "interfaces: every interface needs a device");
  ic.name = get_string(node["name"], "interfaces.name");
  if (ic.name.empty() || ic.name.size() >= 16)
    fail(node["name"], "interfaces.name: must be 1-15 characters");
  ic.device = get_string(node["device"], "interfaces.device");
  ic.tap = node["tap"] ? get_string(node["tap"], "interfaces.tap") : "tg-" + ic.name;
  if (ic.tap.size() >= 16) fail(node["tap"], "interfaces.tap: kernel names are at most 15 chars");
  if (node["vlan"]) ic.vlan = static_cast<uint16_t>(get_uint(node["vlan"], "vlan", 0, 4094));
  if (!node["addresses"] || !node["addresses"].IsSequence() || node["addresses"].size() == 0)
    fail(node, "interfaces." + ic.name + ": needs a list of addresses");
  for (const auto& a : node["addresses"]) ic.addresses.push_back(get_prefix(a));
  if (ic.addresses.size() > channel::kMaxAddressesPerInterface)
    fail(node["addresses"], "addresses: at most " +
                                std::to_string(channel::kMaxAddressesPerInterface));
  if (node["gateway"]) ic.gateway4 = get_address(node["gateway"], "gateway");
  if (node["gateway6"]) ic.gateway6 = get_address(node["gateway6"], "gateway6");
  if (node["gateway"] && ic.gateway4.family != channel::Family::kIPv4)
    fail(node["gateway"], "gateway: must be an IPv4 address (use gateway6 for IPv6)");
  if (node["gateway6"] && ic.gateway6.family != channel::Family::kIPv6)
    fail(node["gateway6"], "gateway6: must be an IPv6 address");
  if (node["neighbors"])
    for (const auto& n : node["neighbors"]) ic.neighbors.push_back(get_neighbor(n));
  return ic;
}

void get_port_range(const YAML::Node& node, DpConfig& c) {
  const std::string text = get_string(node, "media_ports");
  unsigned lo = 0, hi = 0;
  char dash = 0;
  std::istringstream in(text);
  if (!(in >> lo >> dash >> hi) || dash != '-' || !in.eof() || lo < 1024 || hi > 65534 ||
      lo > hi || lo % 2 != 0)
    fail(node, "media_ports: '" + text + "' must be EVEN_MIN-MAX within 1024-65534");
  c.media_port_min = static_cast<uint16_t>(lo);
  c.media_port_max = static_cast<uint16_t>(hi);
}

DpConfig walk(const YAML::Node& root) {
  check_keys(root, {"instance", "workers", "cpus", "memory_mb", "hugepages", "flows_per_worker",
                    "treated_flows_per_worker", "media_ports", "worker_idle_sleep_us", "neighbor_refresh_s",
                    "dpdk_log_level", "interfaces"},
             "top level");
  DpConfig c;
  if (root["instance"]) c.instance = get_string(root["instance"], "instance");
  if (!channel::Region::valid_instance_name(c.instance))
    fail(root["instance"], "instance: must be 1-31 characters of [A-Za-z0-9_-]");
  if (root["workers"]) c.workers = get_uint(root["workers"], "workers", 1, channel::kMaxWorkers);
  if (root["cpus"] && !parse_cpu_list(get_string(root["cpus"], "cpus"), c.cpus))
    fail(root["cpus"], "cpus: '" + root["cpus"].Scalar() + "' is not a CPU list like 0-2,4");
  if (root["memory_mb"]) c.memory_mb = get_uint(root["memory_mb"], "memory_mb", 64, 1u << 20);
  if (root["hugepages"]) {
    const std::string h = get_string(root["hugepages"], "hugepages");
    if (h == "auto") c.hugepages = HugepageMode::kAuto;
    else if (h == "required") c.hugepages = HugepageMode::kRequired;
    else if (h == "off") c.hugepages = HugepageMode::kOff;
    else fail(root["hugepages"], "hugepages: must be auto, required or off");
  }
  if (root["flows_per_worker"])
    c.flows_per_worker = get_uint(root["flows_per_worker"], "flows_per_worker", 64, 1u << 24);
  // Each treated flow holds SRTP contexts and transcoder state (about 6 KiB, ordinary memory).
  if (root["treated_flows_per_worker"])
    c.treated_flows_per_worker = get_uint(root["treated_flows_per_worker"],
                                          "treated_flows_per_worker", 0, c.flows_per_worker);
  else
    c.treated_flows_per_worker = std::min(c.treated_flows_per_worker, c.flows_per_worker);
  if (root["media_ports"]) get_port_range(root["media_ports"], c);
  if (root["worker_idle_sleep_us"])
    c.worker_idle_sleep_us = get_uint(root["worker_idle_sleep_us"], "worker_idle_sleep_us", 0,
                                      100000);
  if (root["neighbor_refresh_s"])
    c.neighbor_refresh_s = get_uint(root["neighbor_refresh_s"], "neighbor_refresh_s", 1, 3600);
  if (root["dpdk_log_level"]) c.dpdk_log_level = get_string(root["dpdk_log_level"], "dpdk_log_level");
  if (!root["interfaces"] || !root["interfaces"].IsSequence() || root["interfaces"].size() == 0)
    fail(root, "interfaces: at least one interface is required");
  std::set<std::string> names;
  for (const auto& n : root["interfaces"]) {
    c.interfaces.push_back(get_interface(n));
    if (!names.insert(c.interfaces.back().name).second)
      fail(n["name"], "interfaces: duplicate name '" + c.interfaces.back().name + "'");
  }
  if (c.interfaces.size() > channel::kMaxInterfaces)
    fail(root["interfaces"], "interfaces: at most " + std::to_string(channel::kMaxInterfaces));
  return c;
}

}  // namespace

std::optional<DpConfig> parse_config(const std::string& yaml_text, const std::string& source,
                                     std::string& error) {
  auto c = config::parse_document<DpConfig>(yaml_text, source, error, walk);
  if (c) c->source = source;
  return c;
}

std::optional<DpConfig> load_config_file(const std::string& path, std::string& error) {
  std::string text;
  if (!config::read_file(path, text, error)) return std::nullopt;
  return parse_config(text, path, error);
}

bool parse_cpu_list(const std::string& text, std::vector<unsigned>& out) {
  out.clear();
  std::istringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    unsigned lo = 0, hi = 0;
    char dash = 0;
    std::istringstream p(part);
    if (!(p >> lo)) return false;
    hi = lo;
    if (p >> dash && (dash != '-' || !(p >> hi))) return false;
    if (!p.eof() || hi < lo || hi - lo > 1024) return false;
    for (unsigned c = lo; c <= hi; ++c) out.push_back(c);
  }
  return !out.empty();
}

bool parse_mac(const std::string& text, uint8_t out[6]) {
  unsigned b[6];
  char tail = 0;
  if (std::sscanf(text.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
                  &b[5], &tail) != 6)
    return false;
  for (int i = 0; i < 6; ++i) out[i] = static_cast<uint8_t>(b[i]);
  return true;
}

}  // namespace trunkgate::dp
