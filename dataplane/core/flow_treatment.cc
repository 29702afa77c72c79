#include "dataplane/core/flow_treatment.h"

#include <algorithm>

namespace trunkgate::dp {
namespace {

using channel::Codec;
using channel::CommandError;

media::SrtpSuite suite_of(uint8_t suite) {
  switch (static_cast<channel::SrtpSuite>(suite)) {
    case channel::SrtpSuite::kAesCm128HmacSha1_32: return media::SrtpSuite::aes_cm_128_hmac_sha1_32;
    case channel::SrtpSuite::kAeadAes128Gcm: return media::SrtpSuite::aead_aes_128_gcm;
    default: return media::SrtpSuite::aes_cm_128_hmac_sha1_80;  // validated before
  }
}

media::SrtpPolicy policy_of(const channel::SrtpParams& p) {
  media::SrtpPolicy policy;
  policy.suite = suite_of(p.suite);
  std::copy(std::begin(p.master_key), std::end(p.master_key), policy.master_key);
  std::copy(std::begin(p.master_salt), std::end(p.master_salt), policy.master_salt);
  policy.mki = p.mki;
  policy.mki_length = p.mki_length;
  if (p.lifetime != 0) policy.lifetime = p.lifetime;
  if (p.replay_window != 0) policy.replay_window = p.replay_window;
  return policy;
}

media::G711Law law_of(uint8_t codec) {
  return codec == static_cast<uint8_t>(Codec::kPcma) ? media::G711Law::alaw : media::G711Law::ulaw;
}

bool configure_transcode(const channel::TranscodeParams& p, uint32_t stages, FlowTreatment& t) {
  media::RtpLegConfig out;
  out.payload_type = p.out_pt;
  out.ssrc = p.out_ssrc;
  out.first_sequence = p.first_seq;
  out.timestamp_offset = p.ts_offset;
  out.ptime_ms = p.out_ptime_ms;
  if (p.out_codec == static_cast<uint8_t>(Codec::kG729))
    return t.to_g729.emplace().configure(law_of(p.in_codec), p.vad_dtx != 0, out);
  // Without CN offered by the G.711 leg (SIPconnect 2.0 section 14.3) G.711 goes out continuous.
  const int cn = (stages & channel::kTreatComfortNoise) ? p.cn_pt : media::G729ToG711Leg::kNoCn;
  return t.to_g711.emplace().configure(law_of(p.out_codec), out, cn);
}

}  // namespace

CommandError configure_treatment(media::AesHmacEngine& engine, const channel::MediaTreatment& spec,
                                 FlowTreatment& t) {
  clear_treatment(t);
  t.spec = spec;
  bool ok = true;
  if (spec.stages & channel::kTreatSrtpIn)
    ok = media::srtp_stream_init(engine, policy_of(spec.srtp_in), t.srtp_in);
  if (ok && (spec.stages & channel::kTreatSrtpOut))
    ok = media::srtp_stream_init(engine, policy_of(spec.srtp_out), t.srtp_out);
  if (ok && (spec.stages & channel::kTreatTranscode))
    ok = configure_transcode(spec.transcode, spec.stages, t);
  t.interwork.reset((spec.stages & channel::kTreatTonesToEvents) != 0,
                    (spec.stages & channel::kTreatEventsToTones) != 0);
  if (ok) return CommandError::kNone;
  clear_treatment(t);
  return CommandError::kTreatmentSetup;
}

void clear_treatment(FlowTreatment& t) {
  t.spec = {};
  t.srtp_in = {};
  t.srtp_out = {};
  t.to_g729.reset();
  t.to_g711.reset();
  t.dtmf.reset();
  t.dtmf_digit = media::kNoEvent;
  t.dtmf_started = 0;
  t.interwork.reset(false, false);
  t.flow = -1;
  t.pool = nullptr;
  t.fill_due_tsc = 0;
  t.fill_ts = 0;
  t.fill_armed = false;
}

}  // namespace trunkgate::dp
