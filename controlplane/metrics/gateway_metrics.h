// What /metrics shows: trunkgate-cp's calls, SIP, trunk health and registrations, CDRs and
// suppressed log lines, and the data plane's counters read from its shared region (per worker
// rx/tx/drops by reason, SRTP failures, per port, the exception path). Everything is read on the
// event-loop thread at scrape time; the data plane's blocks are read with relaxed atomic loads
// (channel::Client), as trunkgate-flowctl does.
//
// Names follow Prometheus conventions: `trunkgate_` prefix, `_total` on counters, base units.
// Calls per second: rate(trunkgate_call_attempts_total[1m]) (counter of admitted INVITEs).
#pragma once

#include <string>

#include "controlplane/b2bua/b2bua.h"
#include "controlplane/cdr/cdr.h"
#include "controlplane/signaling/sip_endpoint.h"
#include "controlplane/trunks/registration_client.h"
#include "controlplane/trunks/trunk_monitor.h"
#include "dataplane/channel/client.h"

namespace trunkgate::cp {

struct MetricsSources {
  const CpConfig& config;
  B2bua& b2bua;
  SipEndpoint& sip;
  const TrunkMonitor& monitor;
  const RegistrationClient& registrations;
  const channel::Client& dataplane;
  const CdrWriter& cdr;
};

// The whole exposition (text format 0.0.4).
std::string render_metrics(const MetricsSources& sources);

}  // namespace trunkgate::cp
