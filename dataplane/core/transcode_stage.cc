#include "dataplane/core/transcode_stage.h"

#include "media/cn/comfort_noise.h"
#include "media/rtp/rtp_header.h"

namespace trunkgate::dp {
namespace {

static_assert(media::G729ToG711Leg::kMaxPacketsPerCall <= media::G711ToG729Leg::kMaxPacketsPerCall);

media::PcmTap* tap_of(FlowTreatment& t) {
  return (t.spec.stages & (channel::kTreatTonesToEvents | channel::kTreatEventsToTones))
             ? &t.interwork
             : nullptr;
}

media::RtpPacketizer& output_of(FlowTreatment& t) {
  return t.to_g729 ? t.to_g729->output() : t.to_g711->output();
}

// The event packets the interworking collected go out after the audio, in the same stream.
void send_generated_events(FlowTreatment& t, TranscodedSpan out, std::size_t& written,
                           DtmfReports& reports) {
  const auto events = t.interwork.take_packets();
  report_interworking(t, events, reports);
  for (const media::TelephoneEventPacket& p : events)
    if (written < out.size() && output_of(t).stamp_other(t.spec.pt_map.event_out, p.payload,
                                                         p.timestamp, out[written], p.marker))
      ++written;
}

StageResult relay_event(FlowTreatment& t, const media::RtpHeader& h, const uint8_t* payload,
                        TranscodedSpan out, std::size_t& written) {
  if (!(t.spec.stages & channel::kTreatEventMap)) return channel::kFlowDropTranscode;
  if (!output_of(t).stamp_other(t.spec.pt_map.event_out, std::span(payload, h.payload_length),
                                h.timestamp, out[0], h.marker))
    return channel::kFlowDropBadEvent;  // longer than any sane event block list
  written = 1;
  return kStagePass;
}

StageResult comfort_noise(FlowTreatment& t, const media::RtpHeader& h, const uint8_t* payload,
                          TranscodedSpan out, std::size_t& written) {
  media::CnPayload cn;
  if (media::parse_cn_payload(std::span(payload, h.payload_length), cn) != media::CnError::ok)
    return channel::kFlowDropTranscode;
  written = t.to_g729->comfort_noise(cn.level, h.timestamp, 2 * media::kG729FrameSamples, out);
  return kStagePass;
}

std::size_t g729_samples(std::size_t payload_length) {
  const std::size_t frames = payload_length / media::kG729FrameBytes;
  const bool sid = payload_length % media::kG729FrameBytes != 0;
  return (frames + (sid ? 1 : 0)) * media::kG729FrameSamples;
}

// G.729 in: fills a short gap since the last input first, so the G.711 output stays continuous.
void fill_gap(FlowTreatment& t, uint32_t timestamp, TranscodedSpan out, std::size_t& written) {
  const auto gap = static_cast<int32_t>(timestamp - t.fill_ts);
  if (!t.fill_armed || gap <= 0 || static_cast<uint32_t>(gap) > kMaxSyncFillSamples ||
      gap % static_cast<int32_t>(media::kG729FrameSamples) != 0)
    return;
  std::size_t n = 0;
  t.to_g711->fill(t.fill_ts, static_cast<std::size_t>(gap), out, n, tap_of(t));
  written += n;
}

void arm_fill(FlowTreatment& t, uint32_t end_ts, std::size_t samples, uint64_t now_tsc,
              uint64_t ms_tsc) {
  if (!t.fill_armed || static_cast<int32_t>(end_ts - t.fill_ts) > 0) t.fill_ts = end_ts;
  t.fill_due_tsc = now_tsc + (samples / 8 + kFillSlackMs) * ms_tsc;
  t.fill_armed = true;
}

}  // namespace

StageResult transcode_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len, uint64_t now_tsc,
                            uint64_t ms_tsc, TranscodedSpan out, std::size_t& written,
                            DtmfReports& reports) {
  written = 0;
  media::RtpHeader h;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok)
    return channel::kFlowDropTranscode;
  const uint8_t* payload = rtp + h.header_length;
  if (is_event_packet(t, rtp)) return relay_event(t, h, payload, out, written);
  if ((t.spec.stages & channel::kTreatComfortNoise) && t.to_g729 &&
      h.payload_type == t.spec.transcode.cn_pt)
    return comfort_noise(t, h, payload, out, written);
  if (h.payload_type != t.spec.transcode.in_pt) return channel::kFlowDropTranscode;
  const std::span<const uint8_t> audio(payload, h.payload_length);
  std::size_t n = 0;
  media::TranscodeError e;
  if (t.to_g729) {
    e = t.to_g729->process(audio, h.timestamp, out, n, tap_of(t));
  } else {
    fill_gap(t, h.timestamp, out, written);
    e = t.to_g711->process(audio, h.timestamp, out.subspan(written), n, tap_of(t));
    if (e == media::TranscodeError::ok) {
      const std::size_t samples = g729_samples(h.payload_length);
      arm_fill(t, h.timestamp + static_cast<uint32_t>(samples), samples, now_tsc, ms_tsc);
    }
  }
  written += n;
  if (tap_of(t) != nullptr) send_generated_events(t, out, written, reports);
  return e == media::TranscodeError::ok ? kStagePass : channel::kFlowDropTranscode;
}

void fill_stage(FlowTreatment& t, uint64_t ms_tsc, TranscodedSpan out, std::size_t& written,
                DtmfReports& reports) {
  written = 0;
  const unsigned ptime = t.spec.transcode.out_ptime_ms;
  const std::size_t samples = ptime * 8u;
  t.to_g711->fill(t.fill_ts, samples, out, written, tap_of(t));
  t.fill_ts += static_cast<uint32_t>(samples);
  t.fill_due_tsc += ptime * ms_tsc;
  if (tap_of(t) != nullptr) send_generated_events(t, out, written, reports);
}

}  // namespace trunkgate::dp
