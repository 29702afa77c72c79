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

#include "dataplane/core/checksum.h"
#include "tools/dp-bench/bench_worker.h"

using namespace trunkgate::bench;

namespace {

constexpr unsigned kInFlight = 2048;
constexpr unsigned kPayload = 200 - 14 - 20 - 8;  // 200-byte frames

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
    rte_ring_enqueue(b.rx, m);
  }
}

void relay_run(unsigned flows, double seconds, const std::string& tag) {
  Bench b;
  if (!setup(b, flows + flows / 8 + 64, tag, true)) {
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
  if (!setup(b, flows + 64, "prog", true)) return;
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
    while (rte_ring_dequeue(b.rx, &junk) == 0) rte_pktmbuf_free(static_cast<rte_mbuf*>(junk));
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
  const BenchArgs args = parse_args(argc, argv);
  const std::vector<std::string>& pos = args.positional;
  const double seconds = pos.size() > 0 ? std::atof(pos[0].c_str()) : 3.0;
  std::vector<unsigned> sizes = {1000, 100000, 1000000};
  if (pos.size() > 1) sizes = {static_cast<unsigned>(std::atoi(pos[1].c_str()))};
  constexpr unsigned kMemoryMb = 1536;
  if (!start_eal("dp-bench", kMemoryMb, args.no_huge)) return 1;
  std::printf("trunkgate-dp-bench: one worker, 200-byte RTP frames, %u in flight, %.1f s per size\n",
              kInFlight, seconds);
  for (unsigned n : sizes) relay_run(n, seconds, std::to_string(n));
  programming_run(100000);
  rte_eal_cleanup();
  return 0;
}
