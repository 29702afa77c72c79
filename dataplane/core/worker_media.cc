// The payload stages of RTP on treated flows between SRTP unprotect and the relay's header
// rewrites: DTMF detection and interworking, RFC 4733 reports, transcoding; and the silence timer
// that keeps a transcoded G.711 output continuous while its G.729 input is quiet (DTX) or lost.
#include <rte_mbuf.h>

#include <cstring>

#include "dataplane/core/dtmf_stage.h"
#include "dataplane/core/worker.h"
#include "media/rtp/rtp_header.h"

namespace trunkgate::dp {

// Returns true when the packet is done with (sent as new packets, consumed, or dropped); false when
// it goes on through the relay's maps and protect, with payload_sum kNoPayloadSum if tones were
// written into it.
bool Worker::media_stages(FlowEntry& e, int32_t position, FlowTreatment& t, rte_mbuf* m,
                          int32_t& payload_sum, const uint8_t* dst_mac) {
  const uint32_t stages = t.spec.stages;
  uint8_t* rtp = rte_pktmbuf_mtod(m, uint8_t*);
  const uint16_t len = rte_pktmbuf_data_len(m);
  DtmfReports reports;
  StageResult r = kStagePass;
  const bool event = is_event_packet(t, rtp);
  if (event) {
    r = telephone_event_stage(t, rtp, len, reports);
  } else if ((stages & channel::kTreatDtmfDetect) && !(stages & channel::kTreatTonesToEvents)) {
    dtmf_detect_stage(t, rtp, len, reports);  // tones-to-events reports its own digits
  }
  // On a relay the interworking works on the packet itself (the transcoder does it in its audio).
  const bool relay_interwork =
      !event && !(stages & channel::kTreatTranscode) &&
      (stages & (channel::kTreatEventsToTones | channel::kTreatTonesToEvents));
  if (relay_interwork && relay_interworking(t, rtp, len, reports)) payload_sum = kNoPayloadSum;
  if (relay_interwork && (stages & channel::kTreatTonesToEvents))
    insert_relay_events(e, position, t, m->pool, dst_mac, reports);
  post_dtmf(e, reports);
  if (r != kStagePass) {
    flow_drop(e, m, r);
    return true;
  }
  if (event && (stages & channel::kTreatEventsToTones)) {  // the digit is played as tones
    rte_pktmbuf_free(m);
    ++c_.transcode_in;
    return true;
  }
  if (stages & channel::kTreatTranscode) {
    send_transcoded(e, position, t, m, dst_mac);
    return true;
  }
  return false;
}

// kTreatTonesToEvents on a relay (which translates, kFlowTranslateRtp): the event packets go out
// in the relayed stream before the packet they were detected in, numbered after the last packet
// sent; the translation then shifts the relay's sequence numbers past them.
void Worker::insert_relay_events(FlowEntry& e, int32_t position, FlowTreatment& t,
                                 rte_mempool* pool, const uint8_t* dst_mac, DtmfReports& reports) {
  const auto events = t.interwork.take_packets();
  report_interworking(t, events, reports);
  if (events.empty() || !e.xlate.started) return;  // nothing sent yet: nothing to number after
  media::TranscodedPacket out[media::DtmfInterworking::kMaxPendingPackets];
  std::size_t n = 0;
  for (const media::TelephoneEventPacket& p : events) {
    out[n].data[0] = 0x80;
    media::write_rtp_fixed_header(out[n].data, t.spec.pt_map.event_out, p.marker,
                                  ++e.xlate.last_out_seq, p.timestamp + e.xlate.ts_delta,
                                  e.xlate.out_ssrc);
    std::memcpy(out[n].data + media::kRtpFixedHeaderSize, p.payload, sizeof p.payload);
    out[n].length = media::kRtpFixedHeaderSize + sizeof p.payload;
    ++n;
  }
  e.xlate.seq_delta = static_cast<uint16_t>(e.xlate.seq_delta + n);
  send_built(e, position, t, pool, std::span(out, n), dst_mac);
}

// Before the translation: the report carries the sender's own timestamp, as a treated flow's does.
void Worker::report_relayed_event(FlowEntry& e, const uint8_t* rtp, uint16_t len) {
  DtmfReports reports;
  relayed_event_reports(e.events, rtp, len, reports);
  post_dtmf(e, reports);
}

void Worker::post_dtmf(const FlowEntry& e, const DtmfReports& reports) {
  for (std::size_t i = 0; i < reports.count; ++i) {
    channel::Event ev =
        make_event(channel::EventType::kDtmf, 0, channel::CommandError::kNone, e.spec.key, &e);
    ev.dtmf = reports.report[i];
    post(ev);
  }
}

// A bounded slice of the treatment slots per poll. A slot is visited every
// capacity / kFillScanPerPoll polls (4096 slots: 128 polls, well under a millisecond), so fills
// keep 20 ms pacing; a worker that falls behind catches up one ptime per visit.
bool Worker::fill_silence() {
  const unsigned cap = treatments_.capacity();
  const unsigned visits = cap < kFillScanPerPoll ? cap : kFillScanPerPoll;
  bool filled = false;
  for (unsigned i = 0; i < visits; ++i) {
    if (++fill_cursor_ >= cap) fill_cursor_ = 0;
    FlowTreatment& t = treatments_.at(static_cast<int32_t>(fill_cursor_));
    if (t.fill_armed && t.to_g711 && now_ >= t.fill_due_tsc) {
      fill_one(t);
      filled = true;
    }
  }
  return filled;
}

void Worker::fill_one(FlowTreatment& t) {
  media::TranscodedPacket out[kMaxTranscodedPerPacket];
  std::size_t n = 0;
  DtmfReports reports;
  fill_stage(t, ms_tsc_, out, n, reports);
  FlowEntry& e = flows_.at(t.flow);
  post_dtmf(e, reports);
  uint8_t dst_mac[6];
  if (e.neighbor == NeighborTable::kNone || !s_.neighbors->mac(e.neighbor, dst_mac)) {
    e.drops[channel::kFlowDropNoNeighbor] += n;  // the filled audio has nowhere to go yet
    c_.drops[channel::kDropNoNeighbor] += n;
    return;
  }
  send_built(e, t.flow, t, t.pool, std::span(out, n), dst_mac);
}

}  // namespace trunkgate::dp
