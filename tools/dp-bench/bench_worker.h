// The worker under benchmark: a real dp::Worker on one net_ring port in this process, programmed
// through a real shared-memory channel, stepped by the benchmark on its own core. Shared by
// trunkgate-dp-bench (relay) and trunkgate-dp-media-bench (SRTP, transcoding).
#pragma once

#include <rte_mempool.h>
#include <rte_ring.h>

#include <optional>
#include <string>
#include <vector>

#include "dataplane/channel/client.h"
#include "dataplane/channel/region.h"
#include "dataplane/core/worker.h"

namespace trunkgate::bench {

namespace ch = trunkgate::channel;
namespace dp = trunkgate::dp;

inline constexpr unsigned kAddresses = 16;  // 16 local addresses x 64k ports covers 1M flows

ch::IpAddr address(unsigned i);  // 10.77.i.1
ch::FlowKey key_of(unsigned flow);

struct Bench {
  std::string instance;
  rte_mempool* pool = nullptr;
  rte_ring* rx = nullptr;  // the port's RX ring
  rte_ring* tx = nullptr;  // its TX ring: rx itself in loopback mode
  uint16_t port = 0;
  std::vector<dp::Interface> ifaces;
  dp::NeighborTable neighbors;
  ch::Region region;
  std::optional<ch::Client> client;
  rte_ring* handoff = nullptr;
  dp::Worker worker;
};

// loopback: what the worker sends comes back to it (a fixed population circulates); otherwise the
// benchmark feeds rx and empties tx itself.
bool setup(Bench& b, unsigned capacity, const std::string& tag, bool loopback);

// Sends commands in ring-sized batches, keeps the worker applying them and drains events; returns
// the seconds it took.
double program(Bench& b, const std::vector<ch::Command>& cmds, uint64_t& failed);

struct BenchArgs {
  std::vector<std::string> positional;
  bool no_huge = false;  // --no-huge
};
BenchArgs parse_args(int argc, char** argv);

// EAL on one lcore, with hugepages when enough are free and mounted (trunkgate-dp's rule) unless
// force_no_huge; prints which memory it uses. False when EAL does not start.
bool start_eal(const char* name, unsigned memory_mb, bool force_no_huge);

}  // namespace trunkgate::bench
