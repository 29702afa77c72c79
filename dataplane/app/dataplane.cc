#include "dataplane/app/dataplane.h"

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "dataplane/app/eal_setup.h"

namespace trunkgate::dp {
namespace {

constexpr unsigned kHandoffSlots = 4096;
constexpr unsigned kExceptionSlots = 2048;
constexpr unsigned kNeighborCapacity = 4096;

}  // namespace

bool Dataplane::init_eal(std::string& error) {
  EalPlan plan;
  if (!plan_eal(config_, probe_hugepages(), plan, error)) return false;
  spdlog::info("memory: {}", plan.memory_note);
  if (config_.workers + 1 > std::thread::hardware_concurrency())
    spdlog::warn("{} worker(s) + main lcore on {} CPU(s): lcores share CPUs", config_.workers,
                 std::thread::hardware_concurrency());
  std::vector<char*> argv;
  for (std::string& a : plan.args) argv.push_back(a.data());
  if (rte_eal_init(static_cast<int>(argv.size()), argv.data()) < 0) {
    const int err = rte_errno;
    error = "DPDK EAL initialisation failed: " + std::string(rte_strerror(err));
    if (err == ENOMEM)
      error += plan.hugepages ? " (not enough hugepage memory: lower memory_mb or add pages)"
                              : " (cannot reserve " + std::to_string(config_.memory_mb) +
                                    " MB of ordinary memory)";
    return false;
  }
  eal_up_ = true;
  return true;
}

bool Dataplane::start(const DpConfig& config, std::string& error) {
  config_ = config;
  if (!init_eal(error)) return false;
  const unsigned n_ports = static_cast<unsigned>(config_.interfaces.size()) * 2;  // + TAPs
  const unsigned mbufs = n_ports * 2048 + config_.workers * (kHandoffSlots + 1024) +
                         static_cast<unsigned>(config_.interfaces.size()) * kExceptionSlots + 4096;
  pool_ = rte_pktmbuf_pool_create("tg-mbufs", mbufs, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                  static_cast<int>(rte_socket_id()));
  if (pool_ == nullptr) {
    error = "cannot allocate " + std::to_string(mbufs) + " packet buffers: " +
            rte_strerror(rte_errno) + " (raise memory_mb)";
    return false;
  }
  PortPlan plan;
  plan.lcores = config_.workers + 1;
  plan.workers = config_.workers;
  plan.rx_descriptors = 1024;
  plan.tx_descriptors = 1024;
  if (!bring_up_ports(config_, plan, pool_, ports_, error)) return false;
  if (!create_shared_state(error)) return false;
  if (!build_workers(error)) return false;

  for (const std::unique_ptr<WorkerSlot>& w : workers_) {
    if (rte_eal_remote_launch(&Dataplane::worker_main, w.get(), w->lcore) != 0) {
      error = "cannot launch worker on lcore " + std::to_string(w->lcore);
      return false;
    }
  }
  region_.publish();
  return true;
}

bool Dataplane::create_shared_state(std::string& error) {
  channel::RegionParams rp;
  rp.instance = config_.instance;
  rp.n_workers = config_.workers;
  rp.media_port_min = config_.media_port_min;
  rp.media_port_max = config_.media_port_max;
  if (!channel::Region::create(rp, region_, error)) return false;
  channel::RegionHeader& h = region_.header();
  h.n_interfaces = static_cast<uint32_t>(ports_.interfaces.size());
  for (size_t i = 0; i < ports_.interfaces.size(); ++i) {
    const Interface& src = ports_.interfaces[i];
    channel::InterfaceInfo& info = h.interfaces[i];
    std::strncpy(info.name, src.name.c_str(), sizeof(info.name) - 1);
    info.port_id = src.port_id;
    info.vlan = src.vlan;
    info.n_addresses = static_cast<uint8_t>(src.addresses.size());
    for (size_t a = 0; a < src.addresses.size(); ++a) {
      info.addresses[a] = src.addresses[a].addr;
      info.prefix_len[a] = src.addresses[a].prefix_len;
    }
  }
  if (!neighbors_->init("tg-neigh", kNeighborCapacity, static_cast<int>(rte_socket_id()), error))
    return false;
  for (unsigned w = 0; w < config_.workers; ++w) {
    rte_ring* r = rte_ring_create(("tg-handoff-" + std::to_string(w)).c_str(), kHandoffSlots,
                                  static_cast<int>(rte_socket_id()), RING_F_SC_DEQ);
    if (r == nullptr) {
      error = "cannot create handoff ring: " + std::string(rte_strerror(rte_errno));
      return false;
    }
    handoff_.push_back(r);
  }
  exception_.assign(ports_.max_port_id + 1, nullptr);
  for (const Interface& i : ports_.interfaces) {
    if (i.tap_port_id == UINT16_MAX) continue;
    exception_[i.port_id] = rte_ring_create(("tg-exc-" + i.name).c_str(), kExceptionSlots,
                                            static_cast<int>(rte_socket_id()), RING_F_SC_DEQ);
    if (exception_[i.port_id] == nullptr) {
      error = "cannot create exception ring: " + std::string(rte_strerror(rte_errno));
      return false;
    }
  }
  ExceptionSetup es;
  es.interfaces = &ports_.interfaces;
  es.exception = exception_;
  es.neighbors = neighbors_.get();
  es.pool = pool_;
  es.tsc_hz = rte_get_tsc_hz();
  es.refresh_s = config_.neighbor_refresh_s;
  es.tx.resize(ports_.max_port_id + 1);
  for (size_t p = 0; p <= ports_.max_port_id; ++p) {
    // The main lcore uses the last queue, or shares queue 0 under the port's lock.
    es.tx[p].lock = ports_.tx_locks[p].get();
    es.tx[p].queue = es.tx[p].lock ? 0 : static_cast<uint16_t>(config_.workers);
  }
  exception_path_.init(std::move(es));
  for (size_t i = 0; i < config_.interfaces.size(); ++i) {
    for (const StaticNeighbor& n : config_.interfaces[i].neighbors) {
      if (!exception_path_.add_static(static_cast<uint16_t>(i), n.addr, n.mac)) {
        error = "interface '" + config_.interfaces[i].name + "': neighbor table full";
        return false;
      }
    }
  }
  return true;
}

bool Dataplane::build_workers(std::string& error) {
  std::vector<unsigned> lcores;
  unsigned lcore;
  RTE_LCORE_FOREACH_WORKER(lcore) lcores.push_back(lcore);
  if (lcores.size() < config_.workers) {
    error = "EAL has " + std::to_string(lcores.size()) + " worker lcores, " +
            std::to_string(config_.workers) + " configured";
    return false;
  }
  for (unsigned w = 0; w < config_.workers; ++w) {
    WorkerSetup ws;
    ws.index = w;
    ws.n_workers = config_.workers;
    ws.flow_capacity = config_.flows_per_worker;
    ws.treated_capacity = config_.treated_flows_per_worker;
    ws.socket = static_cast<int>(rte_socket_id());
    ws.tsc_hz = rte_get_tsc_hz();
    ws.media = {config_.media_port_min, config_.media_port_max};
    // Hardware steering: queue q of every port carries worker q's media, so worker q polls it.
    // Software dispatch: queues are spread over workers ((port index + queue) % workers) and the
    // polling worker hands each media packet to its owner through the owner's handoff ring.
    for (size_t i = 0; i < ports_.interfaces.size(); ++i) {
      for (uint16_t q = 0; q < ports_.rx_queue_count[i]; ++q) {
        const unsigned poller = ports_.steered[i] ? q : (i + q) % config_.workers;
        if (poller == w) ws.rx.push_back({ports_.interfaces[i].port_id, q});
      }
    }
    ws.handoff = handoff_;
    ws.tx.resize(ports_.max_port_id + 1);
    for (size_t p = 0; p <= ports_.max_port_id; ++p) {
      ws.tx[p].lock = ports_.tx_locks[p].get();
      ws.tx[p].queue = ws.tx[p].lock ? 0 : static_cast<uint16_t>(w);
    }
    ws.exception = exception_;
    ws.interfaces = &ports_.interfaces;
    ws.neighbors = neighbors_.get();
    ws.commands = region_.command_ring(w);
    ws.events = region_.event_ring();
    ws.stats = &region_.worker_stats(w);
    auto slot = std::make_unique<WorkerSlot>();
    slot->owner = this;
    slot->lcore = lcores[w];
    if (!slot->worker.init(std::move(ws), error)) return false;
    workers_.push_back(std::move(slot));
  }
  return true;
}

int Dataplane::worker_main(void* arg) {
  WorkerSlot& slot = *static_cast<WorkerSlot*>(arg);
  const unsigned idle_us = slot.owner->config_.worker_idle_sleep_us;
  const std::atomic<bool>& stop = slot.owner->workers_stop_;
  while (!stop.load(std::memory_order_relaxed)) {
    const bool busy = slot.worker.poll_once(rte_rdtsc());
    if (!busy && idle_us != 0) rte_delay_us_sleep(idle_us);
  }
  slot.worker.flush();
  return 0;
}

void Dataplane::publish_exception_stats() {
  const ExceptionCounters& c = exception_path_.counters();
  channel::ExceptionStats& dst = region_.header().exception;
  __atomic_store_n(&dst.to_kernel, c.to_kernel, __ATOMIC_RELAXED);
  __atomic_store_n(&dst.from_kernel, c.from_kernel, __ATOMIC_RELAXED);
  __atomic_store_n(&dst.dropped, c.dropped, __ATOMIC_RELAXED);
  __atomic_store_n(&dst.requests_sent, c.requests_sent, __ATOMIC_RELAXED);
  __atomic_store_n(&dst.neighbors_learned, c.neighbors_learned, __ATOMIC_RELAXED);
}

void Dataplane::publish_port_stats() {
  for (size_t i = 0; i < ports_.interfaces.size(); ++i) {
    rte_eth_stats st{};
    if (rte_eth_stats_get(ports_.interfaces[i].port_id, &st) != 0) continue;
    channel::PortStats& dst = region_.port_stats(static_cast<unsigned>(i));
    const uint64_t values[] = {st.ipackets, st.opackets, st.ibytes,  st.obytes,
                               st.imissed,  st.ierrors,  st.oerrors, st.rx_nombuf};
    uint64_t* fields[] = {&dst.ipackets, &dst.opackets, &dst.ibytes,  &dst.obytes,
                          &dst.imissed,  &dst.ierrors,  &dst.oerrors, &dst.rx_nombuf};
    for (size_t f = 0; f < std::size(values); ++f)
      __atomic_store_n(fields[f], values[f], __ATOMIC_RELAXED);
  }
}

void Dataplane::run(const std::atomic<bool>& stop) {
  const uint64_t hz = rte_get_tsc_hz();
  uint64_t next_ms = rte_rdtsc();
  uint64_t next_s = next_ms;
  spdlog::info("ready: instance '{}', {} worker(s), shared memory {}", config_.instance,
               config_.workers, channel::Region::shm_name(config_.instance));
  while (!stop.load(std::memory_order_relaxed)) {
    const uint64_t now = rte_rdtsc();
    const bool busy = exception_path_.poll_once(now);
    if (now >= next_ms) {
      __atomic_fetch_add(&region_.header().heartbeat, 1, __ATOMIC_RELAXED);
      next_ms = now + hz / 1000;
    }
    if (now >= next_s) {
      publish_port_stats();
      publish_exception_stats();
      next_s = now + hz;
    }
    if (!busy) rte_delay_us_sleep(50);
  }
}

void Dataplane::shutdown() {
  if (!eal_up_) return;
  workers_stop_.store(true);
  rte_eal_mp_wait_lcore();
  for (const std::unique_ptr<WorkerSlot>& w : workers_) w->worker.drain();
  exception_path_.drain();
  if (region_.valid()) {
    publish_port_stats();
    print_summary();
  }
  stop_ports(ports_);
  region_ = channel::Region{};  // unmaps and removes the shared memory object
  release_dpdk_objects();
  rte_eal_cleanup();
  eal_up_ = false;
}

void Dataplane::release_dpdk_objects() {
  workers_.clear();  // flow tables
  neighbors_.reset();
  for (rte_ring* r : handoff_) rte_ring_free(r);
  for (rte_ring* r : exception_) rte_ring_free(r);
  handoff_.clear();
  exception_.clear();
  rte_mempool_free(pool_);
  pool_ = nullptr;
}

void Dataplane::print_summary() const {
  for (unsigned w = 0; w < workers_.size(); ++w) {
    const channel::WorkerStats& s = region_.worker_stats(w);
    std::string drops;
    for (unsigned d = 0; d < channel::kDropCount; ++d)
      if (s.drops[d] != 0)
        drops += std::string(" ") + channel::kWorkerDropNames[d] + "=" + std::to_string(s.drops[d]);
    spdlog::info("worker {}: rx={} tx={} handoff={} exception={} flows={} drops:{}", w, s.rx, s.tx,
                 s.handoff, s.exception, s.flows, drops.empty() ? " none" : drops);
  }
  const ExceptionCounters& e = exception_path_.counters();
  spdlog::info("exception path: to_kernel={} from_kernel={} dropped={} requests={} learned={}",
               e.to_kernel, e.from_kernel, e.dropped, e.requests_sent, e.neighbors_learned);
}

}  // namespace trunkgate::dp
