// trunkgate-dp-bench: the worker pipeline measured in-process on one core.
//
// Relay rate: one net_ring port whose TX ring is its own RX ring, and N flows chained in a random
// cycle (flow i forwards to the key of flow i+1), so every forwarded packet is a valid packet for
// the next flow and a fixed population of 200-byte RTP packets circulates through the real
// Worker::poll_once (parse, dispatch check, bulk lookup, latch/validation, header swap, checksum,
// TX) with no generator cost in the loop. Every packet hits a different flow than the last.
//
// Programming rate: add then delete N flows through the shared-memory channel (Client::send ->
// command ring -> worker -> event ring -> Client::poll_events), and the time from an add command
// to its flow's first forwarded packet.
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "dataplane/app/eal_setup.h"
#include "dataplane/channel/client.h"
#include "dataplane/core/checksum.h"
#include "dataplane/core/worker.h"

namespace ch = trunkgate::channel;
namespace dp = trunkgate::dp;

namespace {

constexpr unsigned kAddresses = 16;  // 16 local addresses x 64k ports covers 1M flows
constexpr unsigned kInFlight = 2048;
constexpr unsigned kPayload = 200 - 14 - 20 - 8;  // 200-byte frames

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

struct Bench {
  std::string instance;
  rte_mempool* pool = nullptr;
  rte_ring* loop = nullptr;
  uint16_t port = 0;
  std::vector<dp::Interface> ifaces;
  dp::NeighborTable neighbors;
  ch::Region region;
  std::optional<ch::Client> client;
  rte_ring* handoff = nullptr;
  dp::Worker worker;
};

bool setup(Bench& b, unsigned capacity, const std::string& tag) {
  std::string err;
  b.instance = "bench" + std::to_string(getpid()) + tag;
  b.pool = rte_pktmbuf_pool_create(("bp" + tag).c_str(), 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  b.loop = rte_ring_create(("bl" + tag).c_str(), 4096, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
  const int port = rte_eth_from_rings(("bport" + tag).c_str(), &b.loop, 1, &b.loop, 1, 0);
  if (b.pool == nullptr || b.loop == nullptr || port < 0) return false;
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

std::vector<ch::Command> chain_commands(Bench& b, unsigned flows, std::vector<unsigned>& order) {
  order.resize(flows);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  std::vector<ch::Command> cmds;
  cmds.reserve(flows);
  for (unsigned i = 0; i < flows; ++i) {
    ch::FlowSpec s{};
    s.key = key_of(order[i]);
    s.remote = key_of(order[(i + 1) % flows]);
    s.source = key_of(order[i]);
    s.out_interface = 0;
    s.dscp = ch::kDscpExpedited;
    ch::Command c = ch::make_flow_command(ch::CommandType::kAddFlow, s);
    b.client->stamp(c, ch::CommandType::kAddFlow);
    cmds.push_back(c);
  }
  return cmds;
}

void inject(Bench& b, const std::vector<unsigned>& order, unsigned count) {
  for (unsigned n = 0; n < count; ++n) {
    const ch::FlowKey k = key_of(order[(n * 7919u) % order.size()]);
    rte_mbuf* m = rte_pktmbuf_alloc(b.pool);
    uint8_t* f = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, 200));
    std::memset(f, 0, 200);
    f[12] = 0x08;
    f[14] = 0x45;
    dp::store_be16(f + 16, 186);
    f[22] = 64;
    f[23] = 17;
    std::memcpy(f + 26, address(0).bytes, 4);
    std::memcpy(f + 30, k.addr.bytes, 4);
    dp::store_be16(f + 34, 1024);
    dp::store_be16(f + 36, k.port);
    dp::store_be16(f + 38, 8 + kPayload);
    f[42] = 0x80;
    f[43] = 8;
    m->port = b.port;
    rte_ring_enqueue(b.loop, m);
  }
}

void relay_run(unsigned flows, double seconds, const std::string& tag) {
  Bench b;
  if (!setup(b, flows + flows / 8 + 64, tag)) {
    std::fprintf(stderr, "setup failed for %u flows\n", flows);
    return;
  }
  std::vector<unsigned> order;
  uint64_t failed = 0;
  const auto adds = chain_commands(b, flows, order);
  const double add_s = program(b, adds, failed);
  inject(b, order, std::min(kInFlight, flows));
  // Warm up, then measure.
  for (int i = 0; i < 20000; ++i) b.worker.poll_once(rte_rdtsc());
  const ch::WorkerStats before = b.client->worker_stats(0);
  const uint64_t start = rte_rdtsc();
  const uint64_t end = start + static_cast<uint64_t>(seconds * rte_get_tsc_hz());
  uint64_t now = start;
  while (now < end) {
    for (int i = 0; i < 64; ++i) b.worker.poll_once(now);
    now = rte_rdtsc();
  }
  b.worker.flush();
  const ch::WorkerStats after = b.client->worker_stats(0);
  const double elapsed = static_cast<double>(now - start) / rte_get_tsc_hz();
  const uint64_t pkts = after.tx - before.tx;
  uint64_t drops = 0;
  for (unsigned d = 0; d < ch::kDropCount; ++d) drops += after.drops[d] - before.drops[d];
  std::printf("relay flows=%-8u packets=%-10lu Mpps=%6.2f cycles/pkt=%6.1f drops=%lu "
              "adds/s=%.0f add_errors=%lu\n",
              flows, static_cast<unsigned long>(pkts), pkts / elapsed / 1e6,
              static_cast<double>(now - start) / static_cast<double>(pkts ? pkts : 1),
              static_cast<unsigned long>(drops), flows / add_s, static_cast<unsigned long>(failed));
}

void programming_run(unsigned flows) {
  Bench b;
  if (!setup(b, flows + 64, "prog")) return;
  std::vector<unsigned> order;
  uint64_t failed = 0;
  const auto adds = chain_commands(b, flows, order);
  const double add_s = program(b, adds, failed);
  std::vector<ch::Command> dels;
  for (const auto& a : adds) {
    ch::Command d = ch::make_key_command(ch::CommandType::kDeleteFlow, a.spec.key);
    b.client->stamp(d, ch::CommandType::kDeleteFlow);
    dels.push_back(d);
  }
  const double del_s = program(b, dels, failed);
  // Command to first forwarded packet: the packet waits on the port while the add is in flight.
  std::vector<double> samples;
  for (unsigned i = 0; i < 1000; ++i) {
    ch::Command a = adds[i % adds.size()];
    b.client->stamp(a, ch::CommandType::kAddFlow);
    const uint64_t t0 = rte_rdtsc();
    b.client->send(&a, 1);
    inject(b, {order[i % adds.size()]}, 1);
    const ch::WorkerStats s0 = b.client->worker_stats(0);
    while (b.client->worker_stats(0).tx == s0.tx) b.worker.poll_once(rte_rdtsc());
    samples.push_back(static_cast<double>(rte_rdtsc() - t0) * 1e6 / rte_get_tsc_hz());
    ch::Command d = ch::make_key_command(ch::CommandType::kDeleteFlow, a.spec.key);
    b.client->stamp(d, ch::CommandType::kDeleteFlow);
    b.client->send(&d, 1);
    for (int k = 0; k < 4; ++k) b.worker.poll_once(rte_rdtsc());
    ch::Event ev[64];
    while (b.client->poll_events(ev, 64) > 0) {
    }
    void* junk;
    while (rte_ring_dequeue(b.loop, &junk) == 0) rte_pktmbuf_free(static_cast<rte_mbuf*>(junk));
  }
  std::sort(samples.begin(), samples.end());
  std::printf("programming flows=%u adds/s=%.0f deletes/s=%.0f errors=%lu "
              "command_to_first_packet_us p50=%.2f p99=%.2f\n",
              flows, flows / add_s, flows / del_s, static_cast<unsigned long>(failed),
              samples[samples.size() / 2], samples[samples.size() * 99 / 100]);
}

}  // namespace

int main(int argc, char** argv) {
  // usage: trunkgate-dp-bench [SECONDS] [FLOWS] [--no-huge]
  std::vector<std::string> pos;
  bool force_no_huge = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--no-huge") force_no_huge = true;
    else pos.push_back(argv[i]);
  }
  const double seconds = pos.size() > 0 ? std::atof(pos[0].c_str()) : 3.0;
  std::vector<unsigned> sizes = {1000, 100000, 1000000};
  if (pos.size() > 1) sizes = {static_cast<unsigned>(std::atoi(pos[1].c_str()))};
  // Same memory rule as trunkgate-dp: hugepages when enough are free and mounted.
  constexpr unsigned kMemoryMb = 1536;
  const dp::HugepageState huge = dp::probe_hugepages();
  const bool use_huge = !force_no_huge && huge.mounted &&
                        huge.free_pages * huge.page_kb >= kMemoryMb * 1024ul;
  std::vector<std::string> args = {"dp-bench", "-m", std::to_string(kMemoryMb), "--no-pci",
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
    return 1;
  }
  std::printf("memory: %s\n", use_huge ? "hugepages" : "ordinary 4 KB pages (--no-huge)");
  std::printf("trunkgate-dp-bench: one worker, 200-byte RTP frames, %u in flight, %.1f s per size\n",
              kInFlight, seconds);
  for (unsigned n : sizes) relay_run(n, seconds, std::to_string(n));
  programming_run(100000);
  rte_eal_cleanup();
  return 0;
}
