// Where trunkgate-cp serves /metrics (the `metrics:` section of its configuration).
#pragma once

#include <cstdint>
#include <string>

namespace trunkgate::cp {

struct MetricsListen {
  std::string address = "127.0.0.1";
  uint16_t port = 9464;  // OpenTelemetry's Prometheus exporter default; any free port works
};

}  // namespace trunkgate::cp
