#include "dataplane/core/dtmf_stage.h"

#include <algorithm>

#include "media/codec/g711.h"
#include "media/common/byte_order.h"
#include "media/dtmf/telephone_event.h"
#include "media/rtp/rtp_header.h"

namespace trunkgate::dp {
namespace {

using channel::DtmfOrigin;

constexpr std::size_t kChunkSamples = 320;  // 40 ms: the detector's largest frame
// One transition can end a digit and start the next: two reports.
constexpr std::size_t kReportsPerChunk = 2 * media::InbandDtmfDetector::kMaxTransitionsPerCall;

channel::DtmfReport make_report(uint8_t event, bool end, DtmfOrigin origin, uint32_t timestamp,
                                uint32_t duration) {
  channel::DtmfReport r{};
  r.event = event;
  r.end = end ? 1 : 0;
  r.origin = static_cast<uint8_t>(origin);
  r.timestamp = timestamp;
  r.duration = duration;
  return r;
}

void report_transition(FlowTreatment& t, const media::DtmfTransition& tr, DtmfReports& out) {
  if (t.dtmf_digit != media::kNoEvent) {
    out.add(make_report(t.dtmf_digit, true, DtmfOrigin::kInband, tr.timestamp,
                        tr.timestamp - t.dtmf_started));
    t.dtmf_digit = media::kNoEvent;
  }
  if (tr.event != media::kNoEvent) {
    out.add(make_report(tr.event, false, DtmfOrigin::kInband, tr.timestamp, 0));
    t.dtmf_digit = tr.event;
    t.dtmf_started = tr.timestamp;
  }
}

void add_event_reports(const media::TelephoneEventReport* got, std::size_t n,
                       DtmfReports& reports) {
  for (std::size_t i = 0; i < n; ++i)
    reports.add(make_report(got[i].event, got[i].kind == media::TelephoneEventReport::Kind::ended,
                            DtmfOrigin::kTelephoneEvent, got[i].timestamp, got[i].duration));
}

media::G711Law law_of(uint8_t codec) {
  return codec == static_cast<uint8_t>(channel::Codec::kPcma) ? media::G711Law::alaw
                                                              : media::G711Law::ulaw;
}

}  // namespace

void dtmf_detect_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len, DtmfReports& reports) {
  media::RtpHeader h;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok ||
      h.payload_type != t.spec.dtmf.pt)
    return;
  const media::G711Law law = law_of(t.spec.dtmf.codec);
  const uint8_t* payload = rtp + h.header_length;
  for (std::size_t at = 0; at < h.payload_length && kReportsPerChunk <= reports.room();
       at += kChunkSamples) {
    const std::size_t samples = std::min(kChunkSamples, h.payload_length - at);
    int16_t pcm[kChunkSamples];
    media::g711_decode(law, std::span(payload + at, samples), pcm);
    media::DtmfTransition tr[media::InbandDtmfDetector::kMaxTransitionsPerCall];
    const std::size_t got =
        t.dtmf.process(pcm, samples, h.timestamp + static_cast<uint32_t>(at), tr);
    for (std::size_t i = 0; i < got; ++i) report_transition(t, tr[i], reports);
  }
}

bool is_event_packet(const FlowTreatment& t, const uint8_t* rtp) {
  return (t.spec.stages & (channel::kTreatEventMap | channel::kTreatEventsToTones)) &&
         (rtp[1] & 0x7f) == t.spec.pt_map.event_in;
}

StageResult telephone_event_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len,
                                  DtmfReports& reports) {
  media::RtpHeader h;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok)
    return channel::kFlowDropBadEvent;
  const std::span<const uint8_t> payload(rtp + h.header_length, h.payload_length);
  media::TelephoneEvent event;
  const media::TelephoneEventError e = media::parse_telephone_event(payload, event);
  if (e == media::TelephoneEventError::bad_length) return channel::kFlowDropBadEvent;
  if (e == media::TelephoneEventError::unsupported_event)  // not DTMF: relayed, never played
    return (t.spec.stages & channel::kTreatEventsToTones) ? channel::kFlowDropBadEvent : kStagePass;
  media::TelephoneEventReport got[media::TelephoneEventReceiver::kMaxReports];
  add_event_reports(got, t.interwork.on_event(payload, h.timestamp, got), reports);
  return kStagePass;
}

void relayed_event_reports(media::TelephoneEventReceiver& receiver, const uint8_t* rtp,
                           uint16_t len, DtmfReports& reports) {
  media::RtpHeader h;
  media::TelephoneEvent event;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok ||
      media::parse_telephone_event(std::span(rtp + h.header_length, h.payload_length), event) !=
          media::TelephoneEventError::ok)
    return;
  media::TelephoneEventReport got[media::TelephoneEventReceiver::kMaxReports];
  add_event_reports(got, receiver.on_event(event, h.timestamp, got), reports);
}

bool relay_interworking(FlowTreatment& t, uint8_t* rtp, uint16_t len, DtmfReports& reports) {
  const bool detect = t.spec.stages & channel::kTreatTonesToEvents;
  if (!detect && !t.interwork.playing_tone()) return false;  // nothing to write: keep the sum
  media::RtpHeader h;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok ||
      h.payload_type != t.spec.dtmf.pt)
    return false;
  const media::G711Law law = law_of(t.spec.dtmf.codec);
  uint8_t* payload = rtp + h.header_length;
  for (std::size_t at = 0; at < h.payload_length; at += kChunkSamples) {
    const std::size_t samples = std::min(kChunkSamples, h.payload_length - at);
    int16_t pcm[kChunkSamples];
    media::g711_decode(law, std::span(payload + at, samples), pcm);
    t.interwork.on_pcm(pcm, samples, h.timestamp + static_cast<uint32_t>(at));
    media::g711_encode(law, std::span(pcm, samples), payload + at);
  }
  if (!detect) report_interworking(t, {}, reports);  // with detection the caller reports
  return true;
}

void report_interworking(FlowTreatment& t, std::span<const media::TelephoneEventPacket> sent,
                         DtmfReports& reports) {
  media::TelephoneEventReport expired;
  if (t.interwork.take_expired(expired))
    reports.add(make_report(expired.event, true, DtmfOrigin::kTelephoneEvent, expired.timestamp,
                            expired.duration));
  for (const media::TelephoneEventPacket& p : sent) {
    const bool end = (p.payload[1] & 0x80) != 0;
    if (p.marker) {
      reports.add(make_report(p.payload[0], false, DtmfOrigin::kInband, p.timestamp, 0));
      t.dtmf_digit = p.payload[0];
    } else if (end && t.dtmf_digit != media::kNoEvent) {
      reports.add(make_report(p.payload[0], true, DtmfOrigin::kInband, p.timestamp,
                              media::load_be16(p.payload + 2)));
      t.dtmf_digit = media::kNoEvent;
    }
  }
}

}  // namespace trunkgate::dp
