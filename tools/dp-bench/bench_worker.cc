#include "tools/dp-bench/bench_worker.h"

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "dataplane/app/eal_setup.h"

namespace trunkgate::bench {

ch::IpAddr address(unsigned i) {
  ch::IpAddr a{};
  a.family = ch::Family::kIPv4;
  a.bytes[0] = 10;
  a.bytes[1] = 77;
  a.bytes[2] = static_cast<uint8_t>(i);
  a.bytes[3] = 1;
  return a;
}

ch::FlowKey key_of(unsigned flow) {
  ch::FlowKey k{};
  k.addr = address(flow % kAddresses);
  k.port = static_cast<uint16_t>(1024 + flow / kAddresses);
  return k;
}

bool setup(Bench& b, unsigned capacity, const std::string& tag, bool loopback) {
  std::string err;
  b.instance = "bench" + std::to_string(getpid()) + tag;
  b.pool = rte_pktmbuf_pool_create(("bp" + tag).c_str(), 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  b.rx = rte_ring_create(("bl" + tag).c_str(), 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
  b.tx = loopback ? b.rx
                  : rte_ring_create(("bt" + tag).c_str(), 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
  if (b.pool == nullptr || b.rx == nullptr || b.tx == nullptr) return false;
  const int port = rte_eth_from_rings(("bport" + tag).c_str(), &b.rx, 1, &b.tx, 1, 0);
  if (port < 0) return false;
  b.port = static_cast<uint16_t>(port);
  rte_eth_conf conf{};
  rte_eth_dev_configure(b.port, 1, 1, &conf);
  rte_eth_rx_queue_setup(b.port, 0, 1024, 0, nullptr, b.pool);
  rte_eth_tx_queue_setup(b.port, 0, 1024, 0, nullptr);
  rte_eth_dev_start(b.port);
  dp::Interface i;
  i.name = "bench";
  i.port_id = b.port;
  for (unsigned a = 0; a < kAddresses; ++a) i.addresses.push_back({address(a), 24});
  b.ifaces = {i};
  if (!b.neighbors.init("bn" + tag, 64, 0, err)) return false;
  const uint8_t mac[6] = {2, 0, 0, 0, 0, 9};
  for (unsigned a = 0; a < kAddresses; ++a)
    b.neighbors.set_mac(b.neighbors.insert(dp::make_neighbor_key(0, address(a))), mac);
  ch::RegionParams rp;
  rp.instance = b.instance;
  rp.command_ring_slots = 8192;
  rp.event_ring_slots = 16384;
  rp.media_port_min = 1024;
  rp.media_port_max = 65534;
  if (!ch::Region::create(rp, b.region, err)) return false;
  b.region.publish();
  b.client = ch::Client::attach(b.instance, err);
  b.handoff = rte_ring_create(("bh" + tag).c_str(), 1024, 0, RING_F_SC_DEQ);
  dp::WorkerSetup s;
  s.flow_capacity = capacity;
  s.tsc_hz = rte_get_tsc_hz();
  s.media = {1024, 65534};
  s.rx = {{b.port, 0}};
  s.handoff = {b.handoff};
  s.tx.assign(b.port + 1, dp::TxQueue{});
  s.exception.assign(b.port + 1, nullptr);
  s.interfaces = &b.ifaces;
  s.neighbors = &b.neighbors;
  s.commands = b.region.command_ring(0);
  s.events = b.region.event_ring();
  s.stats = &b.region.worker_stats(0);
  if (!b.worker.init(std::move(s), err)) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return false;
  }
  return b.client.has_value();
}

// Sends commands in ring-sized batches, keeps the worker applying them and drains events.
double program(Bench& b, const std::vector<ch::Command>& cmds, uint64_t& failed) {
  const uint64_t start = rte_rdtsc();
  size_t next = 0, answered = 0;
  ch::Event ev[256];
  while (answered < cmds.size()) {
    if (next < cmds.size()) {
      const unsigned n = std::min<size_t>(1024, cmds.size() - next);
      next += b.client->send(&cmds[next], n);
    }
    b.worker.poll_once(rte_rdtsc());
    unsigned got;
    while ((got = b.client->poll_events(ev, 256)) > 0) {
      for (unsigned i = 0; i < got; ++i) {
        if (ev[i].hdr.type == static_cast<uint16_t>(ch::EventType::kCommandError)) ++failed;
        if (ev[i].hdr.type == static_cast<uint16_t>(ch::EventType::kCommandOk) ||
            ev[i].hdr.type == static_cast<uint16_t>(ch::EventType::kCommandError))
          ++answered;
      }
    }
  }
  return static_cast<double>(rte_rdtsc() - start) / rte_get_tsc_hz();
}

BenchArgs parse_args(int argc, char** argv) {
  BenchArgs a;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--no-huge") a.no_huge = true;
    else a.positional.push_back(argv[i]);
  }
  return a;
}

bool start_eal(const char* name, unsigned memory_mb, bool force_no_huge) {
  const dp::HugepageState huge = dp::probe_hugepages();
  const bool use_huge = !force_no_huge && huge.mounted &&
                        huge.free_pages * huge.page_kb >= memory_mb * 1024ul;
  std::vector<std::string> args = {name, "-m", std::to_string(memory_mb), "--no-pci",
                                   "--no-telemetry", "-l", "0", "--log-level=error"};
  if (use_huge) {
    args.push_back("--in-memory");
  } else {
    args.push_back("--no-huge");
    args.push_back("--no-shconf");
  }
  std::vector<char*> eal;
  for (auto& a : args) eal.push_back(a.data());
  if (rte_eal_init(static_cast<int>(eal.size()), eal.data()) < 0) {
    std::fprintf(stderr, "EAL init failed\n");
    return false;
  }
  std::printf("memory: %s\n", use_huge ? "hugepages" : "ordinary 4 KB pages (--no-huge)");
  return true;
}

}  // namespace trunkgate::bench
