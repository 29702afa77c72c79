// SRTP a burst at a time. Treated packets that need SRTP work wait in a list while the rest of
// their burst is forwarded; then the list goes through IPsec-MB together (srtp_stage.cc), so its
// multi-buffer lanes fill, and each packet continues where it left off: after unprotect to
// treat_payload, after protect to send_treated. A packet's flow entry and treatment slot stay put
// while it waits: commands are applied between bursts, never during one.
#include <rte_mbuf.h>

#include <cstring>

#include "dataplane/core/worker.h"

namespace trunkgate::dp {
namespace {

SrtpStageItem stage_item(media::SrtpStream& stream, rte_mbuf* m, bool rtcp) {
  SrtpStageItem item;
  item.stream = &stream;
  item.packet = rte_pktmbuf_mtod(m, uint8_t*);
  item.len = rte_pktmbuf_data_len(m);
  item.capacity = item.len + rte_pktmbuf_tailroom(m);
  item.rtcp = rtcp;
  return item;
}

}  // namespace

void Worker::wait_for_unprotect(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp,
                                const uint8_t* dst_mac) {
  if (unprotect_wait_->n == kBurst) run_unprotect_wait();  // process() hands over <= kBurst
  // The flow's crypto contexts are read once the whole burst is parsed: ask for them now.
  const FlowTreatment& t = treatments_.at(e.treatment);
  media::srtp_prefetch(t.srtp_in);
  if (t.spec.stages & channel::kTreatSrtpOut) media::srtp_prefetch(t.srtp_out);
  SrtpWait& w = unprotect_wait_->wait[unprotect_wait_->n++];
  w = {&e, m, position, rtcp, {}};
  std::memcpy(w.dst_mac, dst_mac, sizeof w.dst_mac);
}

void Worker::wait_for_protect(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp,
                              const uint8_t* dst_mac) {
  // Transcoding may turn one input into several outputs: a full list is protected and sent now.
  if (protect_wait_->n == kBurst) run_protect_wait();
  media::srtp_prefetch(treatments_.at(e.treatment).srtp_out);
  SrtpWait& w = protect_wait_->wait[protect_wait_->n++];
  w = {&e, m, position, rtcp, {}};
  std::memcpy(w.dst_mac, dst_mac, sizeof w.dst_mac);
}

void Worker::finish_srtp() {
  if (unprotect_wait_->n != 0) run_unprotect_wait();  // may add to the protect list
  if (protect_wait_->n != 0) run_protect_wait();
}

unsigned Worker::run_srtp(SrtpWaitList& l, bool protect) {
  const unsigned n = l.n;
  for (unsigned i = 0; i < n; ++i) {
    FlowTreatment& t = treatments_.at(l.wait[i].e->treatment);
    l.items[i] = stage_item(protect ? t.srtp_out : t.srtp_in, l.wait[i].m, l.wait[i].rtcp);
  }
  const std::span<SrtpStageItem> items(l.items, n);
  if (protect) {
    srtp_protect_burst_stage(*engine_, items);
  } else {
    srtp_unprotect_burst_stage(*engine_, items);
  }
  l.n = 0;
  for (unsigned i = 0; i < n; ++i)
    if (l.items[i].result != kStagePass) flow_drop(*l.wait[i].e, l.wait[i].m, l.items[i].result);
  return n;
}

void Worker::run_unprotect_wait() {
  SrtpWaitList& l = *unprotect_wait_;
  const unsigned n = run_srtp(l, false);
  for (unsigned i = 0; i < n; ++i) {
    const SrtpWait& w = l.wait[i];
    if (l.items[i].result != kStagePass) continue;
    rte_pktmbuf_trim(w.m, static_cast<uint16_t>(rte_pktmbuf_data_len(w.m) - l.items[i].len));
    treat_payload(*w.e, w.position, treatments_.at(w.e->treatment), w.m, w.rtcp, kNoPayloadSum,
                  w.dst_mac);
  }
}

void Worker::run_protect_wait() {
  SrtpWaitList& l = *protect_wait_;
  const unsigned n = run_srtp(l, true);
  for (unsigned i = 0; i < n; ++i) {
    const SrtpWait& w = l.wait[i];
    if (l.items[i].result != kStagePass) continue;
    // The stage wrote the trailer within the capacity it was given (the mbuf's tailroom).
    rte_pktmbuf_append(w.m, static_cast<uint16_t>(l.items[i].len - rte_pktmbuf_data_len(w.m)));
    send_treated(*w.e, w.position, w.m, w.rtcp, kNoPayloadSum, w.dst_mac);
  }
}

}  // namespace trunkgate::dp
