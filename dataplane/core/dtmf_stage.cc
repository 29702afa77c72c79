#include "dataplane/core/dtmf_stage.h"

#include <algorithm>

#include "media/codec/g711.h"
#include "media/dtmf/telephone_event.h"
#include "media/rtp/rtp_header.h"

namespace trunkgate::dp {
namespace {

constexpr std::size_t kChunkSamples = 320;  // 40 ms: the detector's largest frame
// One transition can end a digit and start the next: two reports.
constexpr std::size_t kReportsPerChunk = 2 * media::InbandDtmfDetector::kMaxTransitionsPerCall;

std::size_t report(FlowTreatment& t, const media::DtmfTransition& tr, channel::DtmfReport* out) {
  std::size_t n = 0;
  if (t.dtmf_digit != media::kNoEvent) {
    out[n++] = {t.dtmf_digit, 1, 0, tr.timestamp, tr.timestamp - t.dtmf_started, 0};
    t.dtmf_digit = media::kNoEvent;
  }
  if (tr.event != media::kNoEvent) {
    out[n++] = {tr.event, 0, 0, tr.timestamp, 0, 0};
    t.dtmf_digit = tr.event;
    t.dtmf_started = tr.timestamp;
  }
  return n;
}

}  // namespace

std::size_t dtmf_detect_stage(FlowTreatment& t, const uint8_t* rtp, uint16_t len,
                              std::span<channel::DtmfReport, kMaxDtmfReports> out) {
  media::RtpHeader h;
  if (media::parse_rtp(std::span(rtp, len), h) != media::RtpError::ok ||
      h.payload_type != t.spec.dtmf.pt)
    return 0;
  const media::G711Law law = t.spec.dtmf.codec == static_cast<uint8_t>(channel::Codec::kPcma)
                                 ? media::G711Law::alaw
                                 : media::G711Law::ulaw;
  const uint8_t* payload = rtp + h.header_length;
  std::size_t n = 0;
  for (std::size_t at = 0; at < h.payload_length && n + kReportsPerChunk <= out.size();
       at += kChunkSamples) {
    const std::size_t samples = std::min(kChunkSamples, h.payload_length - at);
    int16_t pcm[kChunkSamples];
    media::g711_decode(law, std::span(payload + at, samples), pcm);
    media::DtmfTransition tr[media::InbandDtmfDetector::kMaxTransitionsPerCall];
    const std::size_t got =
        t.dtmf.process(pcm, samples, h.timestamp + static_cast<uint32_t>(at), tr);
    for (std::size_t i = 0; i < got; ++i) n += report(t, tr[i], &out[n]);
  }
  return n;
}

}  // namespace trunkgate::dp
