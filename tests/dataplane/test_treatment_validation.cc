// validate_treatment on hostile blocks: every field out of range gives its own error, and
// disabled stages' blocks are ignored whatever they hold.
#include <gtest/gtest.h>

#include <cstring>

#include "dataplane/core/treatment_validation.h"

using namespace trunkgate;
using channel::CommandError;
using dp::validate_treatment;

namespace {

channel::SrtpParams good_srtp() {
  channel::SrtpParams p{};
  p.suite = static_cast<uint8_t>(channel::SrtpSuite::kAesCm128HmacSha1_80);
  p.master_key[0] = 1;
  return p;
}

channel::MediaTreatment srtp_in(const channel::SrtpParams& p) {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatSrtpIn;
  t.srtp_in = p;
  return t;
}

channel::MediaTreatment transcode(uint8_t in, uint8_t out, uint8_t ptime) {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatTranscode;
  t.transcode.in_codec = in;
  t.transcode.out_codec = out;
  t.transcode.in_pt = 8;
  t.transcode.out_pt = 18;
  t.transcode.out_ptime_ms = ptime;
  return t;
}

constexpr uint8_t kPcma = static_cast<uint8_t>(channel::Codec::kPcma);
constexpr uint8_t kPcmu = static_cast<uint8_t>(channel::Codec::kPcmu);
constexpr uint8_t kG729 = static_cast<uint8_t>(channel::Codec::kG729);

TEST(TreatmentValidation, PlainRelayAndIgnoredBlocksPass) {
  channel::MediaTreatment t;
  std::memset(&t, 0xff, sizeof t);  // garbage everywhere ...
  t.stages = 0;                     // ... but no stage enabled
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kNone);
  EXPECT_EQ(validate_treatment(srtp_in(good_srtp()), channel::kFlowRtcp), CommandError::kNone);
}

TEST(TreatmentValidation, SrtpFields) {
  auto p = good_srtp();
  p.suite = 0;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadSrtpSuite);
  p.suite = 4;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadSrtpSuite);
  p = good_srtp();
  p.master_key[0] = 0;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadSrtpKey);
  p = good_srtp();
  p.mki_length = 5;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadMki);
  p.mki_length = 1;
  p.mki = 0x100;  // does not fit one byte
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadMki);
  p.mki = 0xff;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kNone);
  p.mki_length = 4;
  p.mki = 0xffffffff;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kNone);
  p.replay_window = 100;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadReplayWindow);
  p.replay_window = 64;
  p.lifetime = (uint64_t{1} << 48) + 1;
  EXPECT_EQ(validate_treatment(srtp_in(p), 0), CommandError::kBadSrtpLifetime);
  channel::MediaTreatment out{};
  out.stages = channel::kTreatSrtpOut;  // srtp_out left zero: no suite
  EXPECT_EQ(validate_treatment(out, 0), CommandError::kBadSrtpSuite);
}

TEST(TreatmentValidation, StagesMustFitTheFlow) {
  channel::MediaTreatment t{};
  t.stages = 1u << 9;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadTreatment);
  t.stages = channel::kTreatPayloadMap;
  EXPECT_EQ(validate_treatment(t, channel::kFlowRtcp), CommandError::kBadTreatment);
  auto tc = transcode(kPcma, kG729, 20);
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kNone);
  EXPECT_EQ(validate_treatment(tc, channel::kFlowTranslateRtp), CommandError::kBadTreatment);
  tc.stages |= channel::kTreatPayloadMap;  // the transcoder writes its own audio type
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kBadTreatment);
  tc.stages = channel::kTreatTranscode | channel::kTreatEventMap;  // events renumbered into it
  tc.pt_map = {0, 0, 101, 96};
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kNone);
}

channel::MediaTreatment g711_relay_with(uint32_t stages) {
  channel::MediaTreatment t{};
  t.stages = stages;
  t.dtmf.codec = kPcma;
  t.dtmf.pt = 8;
  t.pt_map = {0, 0, 101, 96};
  return t;
}

TEST(TreatmentValidation, DtmfInterworking) {
  // RFC 4733 -> tones: on a G.711 relay (the dtmf block names its audio) or into a transcoder.
  auto t = g711_relay_with(channel::kTreatEventsToTones);
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kNone);
  t.pt_map.event_in = 8;  // the audio's own type
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t.pt_map.event_in = 128;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t = g711_relay_with(channel::kTreatEventsToTones);
  t.dtmf.codec = kG729;  // tones are written into G.711 only
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadCodec);
  t = g711_relay_with(channel::kTreatEventsToTones | channel::kTreatEventMap);  // consumed twice
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadTreatment);
  EXPECT_EQ(validate_treatment(g711_relay_with(channel::kTreatEventsToTones), channel::kFlowRtcp),
            CommandError::kBadTreatment);
  auto tc = transcode(kG729, kPcma, 20);
  tc.stages |= channel::kTreatEventsToTones;
  tc.pt_map = {0, 0, 101, 0};
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kNone);
  tc.pt_map.event_in = 8;  // transcode() sets in_pt 8
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kBadPayloadType);

  // Tones -> RFC 4733: needs a stream it may renumber (the transcoder's, or a translating relay),
  // G.711 in, and an event type out.
  EXPECT_EQ(validate_treatment(g711_relay_with(channel::kTreatTonesToEvents), 0),
            CommandError::kBadTreatment);
  t = g711_relay_with(channel::kTreatTonesToEvents);
  EXPECT_EQ(validate_treatment(t, channel::kFlowTranslateRtp), CommandError::kNone);
  t.pt_map.event_out = 8;  // the audio's own type
  EXPECT_EQ(validate_treatment(t, channel::kFlowTranslateRtp), CommandError::kBadPayloadType);
  tc = transcode(kPcma, kG729, 20);
  tc.stages |= channel::kTreatTonesToEvents;
  tc.dtmf = {kPcma, 8, {}};
  tc.pt_map = {0, 0, 0, 101};
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kNone);
  tc.pt_map.event_out = 18;  // the transcoder's output type
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kBadPayloadType);
  tc.pt_map.event_out = 200;
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kBadPayloadType);
  tc.pt_map.event_out = 101;
  tc.dtmf.pt = 0;  // not the transcoder's input
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kBadTreatment);
}

TEST(TreatmentValidation, ComfortNoise) {
  auto t = transcode(kG729, kPcmu, 20);
  t.transcode.in_pt = 18;
  t.transcode.out_pt = 0;
  t.stages |= channel::kTreatComfortNoise;
  t.transcode.cn_pt = 13;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kNone);
  t.transcode.cn_pt = 0;  // the G.711 type itself
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t.transcode.cn_pt = 128;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  channel::MediaTreatment relay{};
  relay.stages = channel::kTreatComfortNoise;  // a relay passes CN as it is
  EXPECT_EQ(validate_treatment(relay, 0), CommandError::kBadTreatment);
}

TEST(TreatmentValidation, PayloadTypes) {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatPayloadMap | channel::kTreatEventMap;
  t.pt_map = {0, 8, 101, 96};
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kNone);
  t.pt_map = {0, 128, 101, 96};
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t.pt_map = {0, 8, 200, 96};
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t.pt_map = {101, 8, 101, 96};  // one input type mapped twice
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t.stages = channel::kTreatPayloadMap;  // the event pair is ignored when its stage is off
  t.pt_map = {0, 8, 255, 255};
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kNone);
}

TEST(TreatmentValidation, TranscodingPairsAndPtime) {
  EXPECT_EQ(validate_treatment(transcode(kPcmu, kG729, 10), 0), CommandError::kNone);
  EXPECT_EQ(validate_treatment(transcode(kG729, kPcma, 40), 0), CommandError::kNone);
  EXPECT_EQ(validate_treatment(transcode(kPcma, kPcmu, 20), 0), CommandError::kBadCodec);
  EXPECT_EQ(validate_treatment(transcode(kG729, kG729, 20), 0), CommandError::kBadCodec);
  EXPECT_EQ(validate_treatment(transcode(0, kG729, 20), 0), CommandError::kBadCodec);
  EXPECT_EQ(validate_treatment(transcode(9, kG729, 20), 0), CommandError::kBadCodec);
  EXPECT_EQ(validate_treatment(transcode(kPcma, kG729, 25), 0), CommandError::kBadPtime);
  EXPECT_EQ(validate_treatment(transcode(kPcma, kG729, 0), 0), CommandError::kBadPtime);
  EXPECT_EQ(validate_treatment(transcode(kPcma, kG729, 50), 0), CommandError::kBadPtime);
  auto t = transcode(kPcma, kG729, 20);
  t.transcode.out_pt = 130;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  t = transcode(kPcma, kG729, 20);
  t.transcode.vad_dtx = 2;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadTreatment);
}

TEST(TreatmentValidation, DtmfDetection) {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatDtmfDetect;
  t.dtmf.codec = kPcma;
  t.dtmf.pt = 8;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kNone);
  EXPECT_EQ(validate_treatment(t, channel::kFlowRtcp), CommandError::kBadTreatment);
  t.dtmf.codec = kG729;  // in-band detection needs G.711 audio
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadCodec);
  t.dtmf.codec = kPcmu;
  t.dtmf.pt = 128;
  EXPECT_EQ(validate_treatment(t, 0), CommandError::kBadPayloadType);
  auto tc = transcode(kPcma, kG729, 20);
  tc.stages |= channel::kTreatDtmfDetect;
  tc.dtmf.codec = kPcma;
  tc.dtmf.pt = 8;
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kNone);
  tc.dtmf.pt = 0;  // not what the transcoder decodes
  EXPECT_EQ(validate_treatment(tc, 0), CommandError::kBadTreatment);
}

}  // namespace
