#include "dataplane/core/treatment_validation.h"

namespace trunkgate::dp {
namespace {

using channel::Codec;
using channel::CommandError;
using channel::SrtpSuite;

inline constexpr uint64_t kMaxSrtpLifetime = uint64_t{1} << 48;  // RFC 3711 section 9.2
inline constexpr uint8_t kMaxPayloadType = 127;

CommandError validate_srtp(const channel::SrtpParams& p) {
  if (p.suite == static_cast<uint8_t>(SrtpSuite::kNone) ||
      p.suite > static_cast<uint8_t>(SrtpSuite::kAeadAes128Gcm))
    return CommandError::kBadSrtpSuite;
  bool any_key_bit = false;
  for (uint8_t b : p.master_key) any_key_bit |= b != 0;
  if (!any_key_bit) return CommandError::kBadSrtpKey;  // an unset key, never a real one
  if (p.mki_length > channel::kSrtpMaxMkiLength ||
      (p.mki_length < 4 && (p.mki >> (8 * p.mki_length)) != 0))
    return CommandError::kBadMki;
  if (p.replay_window != 0 && p.replay_window != 64 && p.replay_window != 128)
    return CommandError::kBadReplayWindow;
  if (p.lifetime > kMaxSrtpLifetime) return CommandError::kBadSrtpLifetime;
  return CommandError::kNone;
}

bool is_g711(uint8_t codec) {
  return codec == static_cast<uint8_t>(Codec::kPcmu) || codec == static_cast<uint8_t>(Codec::kPcma);
}

CommandError validate_transcode(const channel::TranscodeParams& t) {
  const bool g729 = t.in_codec == static_cast<uint8_t>(Codec::kG729);
  const bool to_g729 = t.out_codec == static_cast<uint8_t>(Codec::kG729);
  if (!((is_g711(t.in_codec) && to_g729) || (g729 && is_g711(t.out_codec))))
    return CommandError::kBadCodec;
  if (t.in_pt > kMaxPayloadType || t.out_pt > kMaxPayloadType) return CommandError::kBadPayloadType;
  if (t.out_ptime_ms == 0 || t.out_ptime_ms > 40 || t.out_ptime_ms % 10 != 0)
    return CommandError::kBadPtime;
  if (t.vad_dtx > 1) return CommandError::kBadTreatment;
  return CommandError::kNone;
}

// CN types on the G.711 leg (kTreatComfortNoise): a real type, distinct from the audio's.
CommandError validate_cn(const channel::MediaTreatment& t) {
  if (t.transcode.cn_pt > kMaxPayloadType || t.transcode.cn_pt == t.transcode.in_pt ||
      t.transcode.cn_pt == t.transcode.out_pt)
    return CommandError::kBadPayloadType;
  return CommandError::kNone;
}

// The audio type a telephone-event type must not collide with: the transcoder's input, or on a
// relay the G.711 stream tones are written into.
CommandError validate_events(const channel::MediaTreatment& t) {
  const channel::PayloadTypeMap& m = t.pt_map;
  const bool transcode = t.stages & channel::kTreatTranscode;
  if ((t.stages & (channel::kTreatEventMap | channel::kTreatEventsToTones)) &&
      (m.event_in > kMaxPayloadType || (transcode && (m.event_in == t.transcode.in_pt ||
                                                      ((t.stages & channel::kTreatComfortNoise) &&
                                                       m.event_in == t.transcode.cn_pt)))))
    return CommandError::kBadPayloadType;
  if ((t.stages & (channel::kTreatEventMap | channel::kTreatTonesToEvents)) &&
      (m.event_out > kMaxPayloadType || (transcode && m.event_out == t.transcode.out_pt)))
    return CommandError::kBadPayloadType;
  if ((t.stages & channel::kTreatEventsToTones) && !transcode && m.event_in == t.dtmf.pt)
    return CommandError::kBadPayloadType;
  if ((t.stages & channel::kTreatTonesToEvents) && !transcode && m.event_out == t.dtmf.pt)
    return CommandError::kBadPayloadType;
  return CommandError::kNone;
}

CommandError validate_payload_map(const channel::PayloadTypeMap& m, uint32_t stages) {
  const bool audio = stages & channel::kTreatPayloadMap;
  const bool event = stages & channel::kTreatEventMap;
  if ((audio && (m.audio_in > kMaxPayloadType || m.audio_out > kMaxPayloadType)) ||
      (event && (m.event_in > kMaxPayloadType || m.event_out > kMaxPayloadType)) ||
      (audio && event && m.audio_in == m.event_in))
    return CommandError::kBadPayloadType;
  return CommandError::kNone;
}

CommandError validate_dtmf(const channel::DtmfDetectParams& d, const channel::MediaTreatment& t) {
  if (!is_g711(d.codec)) return CommandError::kBadCodec;
  if (d.pt > kMaxPayloadType) return CommandError::kBadPayloadType;
  // With transcoding, the detector listens to the transcoder's G.711 input.
  if ((t.stages & channel::kTreatTranscode) &&
      (d.codec != t.transcode.in_codec || d.pt != t.transcode.in_pt))
    return CommandError::kBadTreatment;
  return CommandError::kNone;
}

// Stage combinations this worker does not implement, or that make no sense for the flow.
bool stages_fit(uint32_t stages, uint32_t flow_flags) {
  using namespace channel;
  if ((stages & ~kTreatAllStages) != 0) return false;
  const bool payload_stage =
      stages & (kTreatPayloadMap | kTreatEventMap | kTreatTranscode | kTreatDtmfDetect |
                kTreatComfortNoise | kTreatTonesToEvents | kTreatEventsToTones);
  if (payload_stage && (flow_flags & kFlowRtcp)) return false;  // RTCP has no payload type
  // Events played as tones are consumed: there is nothing left to map.
  if ((stages & kTreatEventsToTones) && (stages & kTreatEventMap)) return false;
  if (!(stages & kTreatTranscode)) {
    // Inserting event packets into a relay needs its sequence numbers renumbered (SSRC/sequence
    // translation); CN is a transcoding matter (a relay passes CN packets as they are).
    if ((stages & kTreatTonesToEvents) && !(flow_flags & kFlowTranslateRtp)) return false;
    return !(stages & kTreatComfortNoise);
  }
  // The transcoder originates its own stream: SSRC translation and the audio map do not apply
  // (telephone-events are renumbered into it with kTreatEventMap).
  return !(flow_flags & kFlowTranslateRtp) && !(stages & kTreatPayloadMap);
}

// The DTMF block is the flow's G.711 input: needed to detect tones, and on a relay to write them.
bool needs_dtmf_block(uint32_t stages) {
  using namespace channel;
  return (stages & (kTreatDtmfDetect | kTreatTonesToEvents)) ||
         ((stages & kTreatEventsToTones) && !(stages & kTreatTranscode));
}

}  // namespace

CommandError validate_treatment(const channel::MediaTreatment& t, uint32_t flow_flags) {
  if (!stages_fit(t.stages, flow_flags)) return CommandError::kBadTreatment;
  CommandError e = CommandError::kNone;
  if (t.stages & channel::kTreatSrtpIn) e = validate_srtp(t.srtp_in);
  if (e == CommandError::kNone && (t.stages & channel::kTreatSrtpOut)) e = validate_srtp(t.srtp_out);
  if (e == CommandError::kNone) e = validate_payload_map(t.pt_map, t.stages);
  if (e == CommandError::kNone && (t.stages & channel::kTreatTranscode))
    e = validate_transcode(t.transcode);
  if (e == CommandError::kNone && needs_dtmf_block(t.stages)) e = validate_dtmf(t.dtmf, t);
  if (e == CommandError::kNone && (t.stages & channel::kTreatComfortNoise)) e = validate_cn(t);
  if (e == CommandError::kNone) e = validate_events(t);
  return e;
}

}  // namespace trunkgate::dp
