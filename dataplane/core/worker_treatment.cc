// The fast path of treated flows, after the relay checks (RTP/RTCP validity, latching, next hop):
// SRTP unprotect -> media stages (DTMF, transcode: worker_media.cc) | payload-type map and SSRC
// translation -> SRTP protect -> the header rewrite every flow shares (Worker::transmit). No
// allocation besides mbufs from the pool.
#include <rte_mbuf.h>

#include <cstring>

#include "dataplane/core/checksum.h"
#include "dataplane/core/payload_type_map.h"
#include "dataplane/core/srtp_stage.h"
#include "dataplane/core/worker.h"

namespace trunkgate::dp {

void Worker::forward_treated(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp,
                             uint16_t sum, const uint8_t* dst_mac) {
  FlowTreatment& t = treatments_.at(e.treatment);
  // SRTP input waits for the rest of the burst (worker_srtp_burst.cc) and comes back decrypted.
  if (t.spec.stages & channel::kTreatSrtpIn) {
    wait_for_unprotect(e, position, m, rtcp, dst_mac);
    return;
  }
  treat_payload(e, position, t, m, rtcp, sum, dst_mac);
}

void Worker::treat_payload(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* m, bool rtcp,
                           int32_t payload_sum, const uint8_t* dst_mac) {
  const uint32_t stages = t.spec.stages;
  uint8_t* payload = rte_pktmbuf_mtod(m, uint8_t*);
  if (!rtcp && media_stages(e, position, t, m, payload_sum, dst_mac)) return;
  // Header rewrites keep a known sum current; after decryption it is computed at the end anyway.
  const auto known = static_cast<uint16_t>(payload_sum);
  uint16_t rewritten = known;
  if (!rtcp) rewritten = map_payload_type(payload, t.spec.pt_map, stages, rewritten);
  if (e.flags & channel::kFlowTranslateRtp)
    rewritten = rtcp ? translate_rtcp(payload, e.xlate, rewritten)
                     : translate_rtp(payload, e.xlate, rewritten);
  if (payload_sum != kNoPayloadSum) payload_sum = rewritten;
  protect_and_transmit(e, position, t, m, rtcp, payload_sum, dst_mac);
}

// One input may give 0..N output packets: the transcoder buffers up to the outgoing ptime.
void Worker::send_transcoded(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* in,
                             const uint8_t* dst_mac) {
  media::TranscodedPacket out[kMaxTranscodedPerPacket];
  std::size_t n = 0;
  DtmfReports reports;
  const StageResult r = transcode_stage(t, rte_pktmbuf_mtod(in, const uint8_t*),
                                        rte_pktmbuf_data_len(in), now_, ms_tsc_, out, n, reports);
  post_dtmf(e, reports);
  if (r != kStagePass) {
    flow_drop(e, in, r);
    return;
  }
  t.flow = position;  // for the silence timer (fill_silence)
  t.pool = in->pool;
  rte_pktmbuf_free(in);
  ++c_.transcode_in;
  send_built(e, position, t, t.pool, std::span(out, n), dst_mac);
}

void Worker::send_built(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mempool* pool,
                        std::span<const media::TranscodedPacket> out, const uint8_t* dst_mac) {
  for (std::size_t i = 0; i < out.size(); ++i) {
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    uint8_t* data = m == nullptr ? nullptr
                                 : reinterpret_cast<uint8_t*>(rte_pktmbuf_append(
                                       m, static_cast<uint16_t>(out[i].length)));
    if (data == nullptr) {  // no mbuf, or (never with default buffers) no room for the packet
      if (m != nullptr) rte_pktmbuf_free(m);
      ++e.drops[channel::kFlowDropNoMbuf];
      ++c_.drops[channel::kDropNoMbuf];
      continue;
    }
    std::memcpy(data, out[i].data, out[i].length);
    protect_and_transmit(e, position, t, m, false, kNoPayloadSum, dst_mac);
  }
}

void Worker::protect_and_transmit(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* m,
                                  bool rtcp, int32_t sum, const uint8_t* dst_mac) {
  // SRTP output waits for the rest of the burst (worker_srtp_burst.cc).
  if (t.spec.stages & channel::kTreatSrtpOut) {
    wait_for_protect(e, position, m, rtcp, dst_mac);
    return;
  }
  send_treated(e, position, m, rtcp, sum, dst_mac);
}

void Worker::send_treated(FlowEntry& e, int32_t position, rte_mbuf* m, bool rtcp, int32_t sum,
                          const uint8_t* dst_mac) {
  const uint16_t len = rte_pktmbuf_data_len(m);
  // Encrypted or new payloads have no sum to update: walk them, unless the NIC does it.
  if (sum == kNoPayloadSum)
    sum = e.tx_offload ? 0 : payload_ones_sum(rte_pktmbuf_mtod(m, uint8_t*), len);
  transmit(e, position, m, len, static_cast<uint16_t>(sum), dst_mac, rtcp);
}

}  // namespace trunkgate::dp
