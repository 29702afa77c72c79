#include "dataplane/core/worker.h"

#include <rte_ring_elem.h>

#include <cstring>

namespace trunkgate::dp {

bool Worker::init(WorkerSetup setup, std::string& error) {
  s_ = std::move(setup);
  if (s_.interfaces == nullptr || s_.neighbors == nullptr || s_.commands == nullptr ||
      s_.events == nullptr || s_.stats == nullptr || s_.tsc_hz == 0) {
    error = "worker " + std::to_string(s_.index) + ": incomplete setup";
    return false;
  }
  if (s_.handoff.size() != s_.n_workers) {
    error = "worker " + std::to_string(s_.index) + ": one handoff ring per worker is required";
    return false;
  }
  ms_tsc_ = s_.tsc_hz / 1000 == 0 ? 1 : s_.tsc_hz / 1000;
  tx_.assign(s_.tx.size(), TxBatch{});
  out_handoff_.assign(s_.n_workers, {});
  for (auto& v : out_handoff_) v.reserve(kBurst);
  waiting_.init(kNeighborWaitPackets);
  if (!flows_.init("flows-w" + std::to_string(s_.index), s_.flow_capacity, s_.socket, error))
    return false;
  engine_ = std::make_unique<media::AesHmacEngine>();
  if (!engine_->valid()) {
    error = "worker " + std::to_string(s_.index) + ": IPsec-MB manager initialisation failed";
    return false;
  }
  unprotect_wait_ = std::make_unique<SrtpWaitList>();
  protect_wait_ = std::make_unique<SrtpWaitList>();
  return treatments_.init(s_.treated_capacity, error);
}

bool Worker::poll_once(uint64_t now_tsc) {
  now_ = now_tsc;
  bool busy = apply_commands() > 0;
  if (!waiting_.empty()) busy |= release_held();  // before RX: a flow's packets keep their order
  rte_mbuf* pkts[kBurst];
  for (const RxQueue& q : s_.rx) {
    const uint16_t n = rte_eth_rx_burst(q.port, q.queue, pkts, kBurst);
    if (n == 0) continue;
    busy = true;
    process(pkts, n, true);
  }
  const unsigned n = rte_ring_dequeue_burst(s_.handoff[s_.index], reinterpret_cast<void**>(pkts),
                                            kBurst, nullptr);
  if (n > 0) {
    busy = true;
    process(pkts, n, false);
  }
  busy |= fill_silence();
  if (busy) {
    finish_srtp();  // what the held packets and the silence timer queued for SRTP
    flush_tx();     // the silence timer's audio leaves in this poll too
  }
  scan_timeouts();
  if (dumping_) continue_dump();
  publish_stats();
  return busy;
}

void Worker::flush() {
  flush_tx();
  publish_stats();
}

void Worker::drain() {
  waiting_.offer([](HeldPacket& h) {
    rte_pktmbuf_free(h.m);
    return true;
  });
  rte_mbuf* pkts[kBurst];
  unsigned n;
  while ((n = rte_ring_dequeue_burst(s_.handoff[s_.index], reinterpret_cast<void**>(pkts), kBurst,
                                     nullptr)) > 0)
    rte_pktmbuf_free_bulk(pkts, n);
}

channel::Event Worker::make_event(channel::EventType type, uint32_t seq,
                                  channel::CommandError error, const channel::FlowKey& key,
                                  const FlowEntry* e) const {
  channel::Event ev{};
  ev.hdr.version = channel::kSchemaVersion;
  ev.hdr.type = static_cast<uint16_t>(type);
  ev.hdr.seq = seq;
  ev.worker = static_cast<uint16_t>(s_.index);
  ev.error = static_cast<int16_t>(error);
  ev.key = key;
  if (e != nullptr) {
    ev.cookie = e->spec.cookie;
    ev.addr = type == channel::EventType::kLatched ? e->peer : e->remote;
    ev.counters.packets = e->packets;
    ev.counters.received = e->received;
    ev.counters.bytes = e->bytes;
    ev.counters.rtcp_packets = e->rtcp_packets;
    std::memcpy(ev.counters.drops, e->drops, sizeof(e->drops));
    ev.counters.idle_ms = now_ > e->last_seen_tsc ? (now_ - e->last_seen_tsc) / ms_tsc_ : 0;
  }
  return ev;
}

void Worker::post(channel::Event ev) {  // a copy: DPDK's enqueue takes a non-const pointer
  if (rte_ring_enqueue_elem(s_.events, &ev, sizeof(ev)) != 0) ++c_.events_lost;
}

// A bounded slice of the table per poll (each slot is a cache miss at large tables): under load
// (~300k polls/s) a pass over 1M flows takes about half a second, far below any media timeout.
void Worker::scan_timeouts() {
  const unsigned cap = flows_.capacity();
  for (unsigned i = 0; i < kTimeoutScanPerPoll; ++i) {
    if (++scan_cursor_ >= cap) scan_cursor_ = 0;
    FlowEntry& e = flows_.at(static_cast<int32_t>(scan_cursor_));
    if (!e.in_use || e.timeout_tsc == 0 || e.timed_out) continue;
    if (now_ - e.last_seen_tsc >= e.timeout_tsc) {
      e.timed_out = 1;
      emit(channel::EventType::kMediaTimeout, 0, channel::CommandError::kNone, e.spec.key, &e);
    }
  }
}

void Worker::continue_dump() {
  const unsigned cap = flows_.capacity();
  unsigned emitted = 0;
  while (dump_cursor_ < cap && emitted < kDumpPerPoll) {
    if (rte_ring_free_count(s_.events) < 2) return;  // resume when the client has read some
    FlowEntry& e = flows_.at(static_cast<int32_t>(dump_cursor_++));
    if (!e.in_use) continue;
    emit(channel::EventType::kFlowInfo, dump_seq_, channel::CommandError::kNone, e.spec.key, &e);
    ++emitted;
  }
  if (dump_cursor_ >= cap) {
    dumping_ = false;
    emit(channel::EventType::kDumpDone, dump_seq_, channel::CommandError::kNone, {}, nullptr);
  }
}

// Single writer: plain relaxed stores are enough for readers in other processes.
void Worker::publish_stats() {
  channel::WorkerStats& st = *s_.stats;
  __atomic_store_n(&st.rx, c_.rx, __ATOMIC_RELAXED);
  __atomic_store_n(&st.tx, c_.tx, __ATOMIC_RELAXED);
  __atomic_store_n(&st.handoff, c_.handoff, __ATOMIC_RELAXED);
  __atomic_store_n(&st.exception, c_.exception, __ATOMIC_RELAXED);
  __atomic_store_n(&st.transcode_in, c_.transcode_in, __ATOMIC_RELAXED);
  __atomic_store_n(&st.commands_ok, c_.commands_ok, __ATOMIC_RELAXED);
  __atomic_store_n(&st.commands_failed, c_.commands_failed, __ATOMIC_RELAXED);
  __atomic_store_n(&st.events_lost, c_.events_lost, __ATOMIC_RELAXED);
  __atomic_store_n(&st.flows, static_cast<uint64_t>(flows_.size()), __ATOMIC_RELAXED);
  __atomic_store_n(&st.loops, st.loops + 1, __ATOMIC_RELAXED);
  __atomic_store_n(&st.treated_flows, static_cast<uint64_t>(treatments_.in_use()),
                   __ATOMIC_RELAXED);
  for (unsigned i = 0; i < channel::kDropCount; ++i)
    __atomic_store_n(&st.drops[i], c_.drops[i], __ATOMIC_RELAXED);
}

}  // namespace trunkgate::dp
