// trunkgate-cp's configuration: one YAML file (or the embedded default). Everything is validated
// before anything starts; an error names the file, line and column and what is wrong. A reload
// parses a new CpConfig the same way, so an invalid file changes nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controlplane/config/trunk.h"
#include "controlplane/limits/call_limiter.h"
#include "controlplane/metrics/metrics_listen.h"
#include "controlplane/routing/route_table.h"

namespace YAML {
class Node;
}

namespace trunkgate::cp {

struct ListenAddress {
  SipTransport transport = SipTransport::kUdp;
  std::string address;
  uint16_t port = 5060;
  // TLS only.
  std::string certificate, private_key, ca;
  bool require_client_certificate = false;
};

// The management API (trunkgatectl, gRPC): a Unix socket, and optionally TCP, TLS unless the
// configuration explicitly allows plain TCP.
struct ManagementConfig {
  std::string socket;  // empty: /run/trunkgate/<dataplane instance>.sock
  std::string tcp_address;
  uint16_t tcp_port = 0;  // 0: no TCP listener
  std::string certificate, private_key;
  std::string client_ca;  // set: clients must present a certificate this CA signed
  bool insecure_tcp = false;

  std::string socket_path(const std::string& dataplane_instance) const;
};

struct CpConfig {
  std::string source = "embedded default";
  std::string dataplane_instance = "default";
  unsigned program_timeout_ms = 500;
  // Media silence (no RTP either way) after which the data plane reports the call and the
  // gateway ends it; 0 disables. Calls on hold are exempt.
  unsigned media_timeout_s = 60;
  std::vector<ListenAddress> listen;
  CallLimits limits;  // for the whole gateway
  std::string cdr_path = "trunkgate-cdr.jsonl";
  std::string log_level = "info";
  // Lines about hostile input (malformed SIP, unknown sources, failed authentication): at most
  // this many per interval and kind, then one summary line with the count suppressed.
  unsigned hostile_log_lines = 10;
  unsigned hostile_log_interval_s = 60;
  // The Prometheus endpoint; none unless configured (no port opens that was not asked for).
  std::optional<MetricsListen> metrics;
  ManagementConfig management;
  std::vector<Trunk> trunks;
  std::vector<Route> routes;
  RouteTable route_table;

  const Trunk* trunk(const std::string& name) const;
};

// spdlog's level names, accepted by log.level and the management API's log level change.
inline constexpr const char* kLogLevels = "trace, debug, info, warn, error, critical, off";
bool is_log_level(const std::string& level);

// The configuration `trunkgate-cp` runs with when given none: the demo topology of
// deploy/netns.sh, a PBX on one side and a carrier on the other.
extern const char* const kEmbeddedCpConfig;

std::optional<CpConfig> parse_cp_config(const std::string& yaml_text, const std::string& source,
                                        std::string& error);
// The same validation over a document already loaded or built in memory (an API edit).
std::optional<CpConfig> parse_cp_config_tree(const YAML::Node& root, const std::string& source,
                                             std::string& error);
std::optional<CpConfig> load_cp_config(const std::string& path, std::string& error);

}  // namespace trunkgate::cp
