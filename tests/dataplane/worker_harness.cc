#include "tests/dataplane/worker_harness.h"

#include <gtest/gtest.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_mbuf.h>
#include <unistd.h>

#include <cstring>

namespace trunkgate::test {
namespace {

int g_harness_id = 0;

dp::InterfaceAddress prefix(const std::string& a, uint8_t len) {
  dp::InterfaceAddress ia{};
  EXPECT_TRUE(channel::parse_address(a, ia.addr));
  ia.prefix_len = len;
  return ia;
}

dp::Interface make_interface(const char* name, uint16_t port, uint8_t mac_tail,
                             std::vector<dp::InterfaceAddress> addresses) {
  dp::Interface i;
  i.name = name;
  i.port_id = port;
  const uint8_t mac[6] = {0x02, 0, 0, 0, 0, mac_tail};
  std::memcpy(i.mac, mac, 6);
  i.addresses = std::move(addresses);
  return i;
}

}  // namespace

WorkerHarness::WorkerHarness(unsigned n_workers, unsigned treated_capacity) {
  const int id = g_harness_id++;
  instance_ = "th" + std::to_string(getpid()) + "-" + std::to_string(id);
  const std::string sfx = std::to_string(id);
  pool_ = rte_pktmbuf_pool_create(("hp" + sfx).c_str(), 4095, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  EXPECT_NE(pool_, nullptr);
  const char* names[2] = {"pbx", "car"};
  for (unsigned i = 0; i < 2; ++i) {
    exc_.push_back(rte_ring_create(("hex" + sfx + names[i]).c_str(), 1024, 0, 0));
    ports_.push_back(make_ring_port("hport" + sfx + names[i], pool_));
  }
  interfaces_ = {make_interface("pbx", ports_[0].id, 0x01, {prefix("192.0.2.1", 24),
                                                               prefix("2001:db8:1::1", 64)}),
                 make_interface("car", ports_[1].id, 0x02, {prefix("198.51.100.1", 24),
                                                               prefix("2001:db8:2::1", 64)})};

  std::string err;
  EXPECT_TRUE(neighbors_.init("hn" + sfx, 64, 0, err)) << err;
  // Playing the main lcore: the peers' MACs are known.
  for (const char* a : {"192.0.2.10", "192.0.2.11", "2001:db8:1::10"}) {
    channel::IpAddr ip;
    channel::parse_address(a, ip);
    neighbors_.set_mac(neighbors_.insert(dp::make_neighbor_key(0, ip)), kPbxPeerMac);
  }
  for (const char* a : {"198.51.100.10", "198.51.100.11", "2001:db8:2::10"}) {
    channel::IpAddr ip;
    channel::parse_address(a, ip);
    neighbors_.set_mac(neighbors_.insert(dp::make_neighbor_key(1, ip)), kCarrierPeerMac);
  }

  channel::RegionParams rp;
  rp.instance = instance_;
  rp.n_workers = n_workers;
  EXPECT_TRUE(channel::Region::create(rp, region_, err)) << err;
  region_.publish();
  client_ = channel::Client::attach(instance_, err);
  EXPECT_TRUE(client_) << err;

  for (unsigned w = 0; w < n_workers; ++w)
    handoff_.push_back(rte_ring_create(("hh" + sfx + "-" + std::to_string(w)).c_str(), 1024, 0,
                                       RING_F_SC_DEQ));
  const uint16_t max_port = std::max(ports_[0].id, ports_[1].id);
  ms = rte_get_tsc_hz() / 1000;
  for (unsigned w = 0; w < n_workers; ++w) {
    dp::WorkerSetup s;
    s.index = w;
    s.n_workers = n_workers;
    s.flow_capacity = 1024;
    s.treated_capacity = treated_capacity;
    s.tsc_hz = rte_get_tsc_hz();
    s.handoff = handoff_;
    s.tx.assign(max_port + 1, dp::TxQueue{});
    s.exception.assign(max_port + 1, nullptr);
    s.exception[ports_[0].id] = exc_[0];
    s.exception[ports_[1].id] = exc_[1];
    if (w == 0) s.rx = {{ports_[0].id, 0}, {ports_[1].id, 0}};  // worker 0 dispatches
    s.interfaces = &interfaces_;
    s.neighbors = &neighbors_;
    s.commands = region_.command_ring(w);
    s.events = region_.event_ring();
    s.stats = &region_.worker_stats(w);
    auto worker = std::make_unique<dp::Worker>();
    EXPECT_TRUE(worker->init(std::move(s), err)) << err;
    workers_.push_back(std::move(worker));
  }
}

uint32_t WorkerHarness::send(channel::Command cmd, channel::CommandType type) {
  const uint32_t seq = client_->stamp(cmd, type);
  EXPECT_EQ(client_->send(&cmd, 1), 1u);
  return seq;
}

void WorkerHarness::start_worker(unsigned lcore) {
  stop_.store(false);
  running_lcore_ = static_cast<int>(lcore);
  const int rc = rte_eal_remote_launch(
      [](void* arg) {
        auto* h = static_cast<WorkerHarness*>(arg);
        while (!h->stop_.load(std::memory_order_relaxed)) h->workers_[0]->poll_once(rte_rdtsc());
        h->workers_[0]->flush();
        return 0;
      },
      this, lcore);
  ASSERT_EQ(rc, 0);
}

void WorkerHarness::stop_worker() {
  stop_.store(true);
  if (running_lcore_ >= 0) rte_eal_wait_lcore(static_cast<unsigned>(running_lcore_));
  running_lcore_ = -1;
}

WorkerHarness::~WorkerHarness() {
  stop_worker();
  for (auto& w : workers_) w->drain();
  workers_.clear();
  for (unsigned i = 0; i < 2; ++i) {
    destroy_ring_port(ports_[i]);
    drain_frames(exc_[i]);
    rte_ring_free(exc_[i]);
  }
  for (rte_ring* r : handoff_) rte_ring_free(r);
  rte_mempool_free(pool_);
}

void WorkerHarness::poll(unsigned rounds) {
  for (unsigned r = 0; r < rounds; ++r)
    for (auto& w : workers_) w->poll_once(now);
}

void WorkerHarness::inject(unsigned port_index, const std::vector<uint8_t>& frame) {
  const RingPort& p = ports_[port_index];
  ASSERT_EQ(rte_ring_enqueue(p.rx, frame_mbuf(pool_, frame, p.id)), 0);
}

bool WorkerHarness::try_inject(unsigned port_index, const std::vector<uint8_t>& frame) {
  const RingPort& p = ports_[port_index];
  rte_mbuf* m = frame_mbuf(pool_, frame, p.id);
  if (rte_ring_enqueue(p.rx, m) == 0) return true;
  rte_pktmbuf_free(m);
  return false;
}

std::vector<std::vector<uint8_t>> WorkerHarness::sent(unsigned port_index) {
  return drain_frames(ports_[port_index].tx);
}

std::vector<std::vector<uint8_t>> WorkerHarness::exceptions(unsigned port_index) {
  return drain_frames(exc_[port_index]);
}

std::vector<channel::Event> WorkerHarness::events() {
  std::vector<channel::Event> out;
  channel::Event ev[64];
  unsigned n;
  while ((n = client_->poll_events(ev, 64)) > 0) out.insert(out.end(), ev, ev + n);
  return out;
}

std::vector<channel::Event> WorkerHarness::command(channel::Command cmd,
                                                   channel::CommandType type) {
  const uint32_t seq = client_->stamp(cmd, type);
  EXPECT_EQ(client_->send(&cmd, 1), 1u);
  poll();
  std::vector<channel::Event> answer;
  for (const channel::Event& e : events())
    if (e.hdr.seq == seq) answer.push_back(e);
  return answer;
}

channel::FlowSpec WorkerHarness::relay_spec(uint16_t key_port, const std::string& remote,
                                            uint16_t source_port) const {
  channel::FlowSpec s{};
  std::string err;
  channel::parse_endpoint("192.0.2.1:" + std::to_string(key_port), s.key, err);
  channel::parse_endpoint(remote, s.remote, err);
  channel::parse_endpoint("198.51.100.1:" + std::to_string(source_port), s.source, err);
  s.out_interface = 1;
  s.dscp = channel::kDscpExpedited;
  return s;
}

}  // namespace trunkgate::test
