// direction_commands / delete_commands: the exact flows and treatments, each run through the data
// plane's own treatment validation (dataplane/core/treatment_validation.cc, linked in).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "controlplane/sdp/media_plan.h"
#include "controlplane/sdp/sdes.h"
#include "dataplane/channel/client.h"
#include "dataplane/core/treatment_validation.h"
#include "tests/controlplane/sdp/spec_sdps.h"

namespace trunkgate::cp {
namespace {

using channel::Codec;
using channel::CommandError;
using channel::CommandType;

channel::IpAddr ip(const std::string& text) {
  channel::IpAddr a;
  EXPECT_TRUE(channel::parse_address(text, a)) << text;
  return a;
}

bool same(const channel::Endpoint& e, const std::string& addr, uint16_t port) {
  const channel::IpAddr want = ip(addr);
  return e.port == port && e.addr.family == want.family &&
         std::memcmp(e.addr.bytes, want.bytes, sizeof want.bytes) == 0;
}

LegMedia media(Codec codec, int pt, int event_pt, const std::string& address, uint16_t port) {
  LegMedia m;
  m.codec = codec;
  m.pt = pt;
  m.telephone_event_pt = event_pt;
  m.remote_address = address;
  m.remote_rtp_port = port;
  m.remote_rtcp_port = static_cast<uint16_t>(port + 1);
  return m;
}

// Leg A: the caller's trunk on interface 0; leg B: the callee's on interface 1.
LegSide side_a(LegMedia m) {
  return LegSide{0, ip("10.0.0.1"), 20000, std::move(m), true};
}
LegSide side_b(LegMedia m) {
  return LegSide{1, ip("192.0.2.1"), 20002, std::move(m), true};
}

const FlowOptions kOptions{77, 30000, 46};

// A→B commands from a PCMU leg A (CUCM's address, spec 001) to a leg B negotiated as `mb`.
std::vector<channel::Command> from_pcmu_leg_to(const LegMedia& mb) {
  return direction_commands(CommandType::kAddFlow,
                            side_a(media(Codec::kPcmu, 0, 101, "10.10.199.251", 18334)), side_b(mb),
                            kOptions);
}

// What the data plane would say about each command's treatment.
void expect_valid(const std::vector<channel::Command>& cmds) {
  for (const channel::Command& c : cmds)
    EXPECT_EQ(dp::validate_treatment(c.treatment, c.spec.flags), CommandError::kNone)
        << channel::to_string(dp::validate_treatment(c.treatment, c.spec.flags));
}

TEST(MediaPlanRelay, FlowFieldsOfBothDirections) {
  const LegSide a = side_a(media(Codec::kPcmu, 0, 101, "10.10.199.251", 18334));
  const LegSide b = side_b(media(Codec::kPcmu, 0, 101, "198.51.100.9", 30000));
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  ASSERT_EQ(ab.size(), 2u);
  expect_valid(ab);
  const channel::Command& rtp = ab[0];
  EXPECT_EQ(rtp.hdr.type, static_cast<uint16_t>(CommandType::kAddFlow));
  EXPECT_TRUE(same(rtp.spec.key, "10.0.0.1", 20000));
  EXPECT_TRUE(same(rtp.spec.remote, "198.51.100.9", 30000));
  EXPECT_TRUE(same(rtp.spec.source, "192.0.2.1", 20002));
  EXPECT_TRUE(same(rtp.spec.reverse, "192.0.2.1", 20002));
  EXPECT_EQ(rtp.spec.out_interface, 1);
  // Same telephone-event number on both legs: no event stage, so the relay reports A's events
  // without a treatment.
  EXPECT_EQ(rtp.spec.flags, uint32_t{channel::kFlowLatch | channel::kFlowReportEvents});
  EXPECT_EQ(rtp.spec.event_pt, 101);
  EXPECT_EQ(rtp.spec.cookie, 77u);
  EXPECT_EQ(rtp.spec.timeout_ms, 30000u);
  EXPECT_EQ(rtp.spec.dscp, 46);
  EXPECT_EQ(rtp.treatment.stages, 0u);  // same codec and numbers: plain relay
  const channel::Command& rtcp = ab[1];
  EXPECT_TRUE(same(rtcp.spec.key, "10.0.0.1", 20001));
  EXPECT_TRUE(same(rtcp.spec.remote, "198.51.100.9", 30001));
  EXPECT_TRUE(same(rtcp.spec.source, "192.0.2.1", 20003));
  EXPECT_TRUE(same(rtcp.spec.reverse, "192.0.2.1", 20003));
  EXPECT_EQ(rtcp.spec.flags, uint32_t{channel::kFlowLatch | channel::kFlowRtcp});  // no events
  EXPECT_EQ(rtcp.spec.event_pt, 0);
  EXPECT_EQ(rtcp.spec.timeout_ms, 0u);
  EXPECT_EQ(rtcp.treatment.stages, 0u);

  // The opposite direction is keyed on B's port and latches A's flow as its reverse.
  const auto ba = direction_commands(CommandType::kModifyFlow, b, a, kOptions);
  ASSERT_EQ(ba.size(), 2u);
  EXPECT_EQ(ba[0].hdr.type, static_cast<uint16_t>(CommandType::kModifyFlow));
  EXPECT_TRUE(same(ba[0].spec.key, "192.0.2.1", 20002));
  EXPECT_TRUE(same(ba[0].spec.remote, "10.10.199.251", 18334));
  EXPECT_TRUE(same(ba[0].spec.reverse, "10.0.0.1", 20000));
  EXPECT_EQ(ba[0].spec.out_interface, 0);
}

TEST(MediaPlanRelay, PayloadAndEventMapsWhenNumbersDiffer) {
  const LegSide a = side_a(media(Codec::kG729, 18, 101, "10.10.199.251", 18334));
  const LegSide b = side_b(media(Codec::kG729, 97, 96, "198.51.100.9", 30000));
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  ASSERT_EQ(ab.size(), 2u);
  expect_valid(ab);
  const channel::MediaTreatment& t = ab[0].treatment;
  EXPECT_EQ(t.stages, uint32_t{channel::kTreatPayloadMap | channel::kTreatEventMap});
  EXPECT_EQ(t.pt_map.audio_in, 18);
  EXPECT_EQ(t.pt_map.audio_out, 97);
  EXPECT_EQ(t.pt_map.event_in, 101);
  EXPECT_EQ(t.pt_map.event_out, 96);
  EXPECT_EQ(ab[1].treatment.stages, 0u);  // RTCP carries no payload type
  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  EXPECT_EQ(ba[0].treatment.pt_map.audio_in, 97);
  EXPECT_EQ(ba[0].treatment.pt_map.event_out, 101);
}

TEST(MediaPlanRelay, EventsBecomeTonesTowardsALegWithoutTelephoneEvent) {
  const LegSide a = side_a(media(Codec::kPcmu, 0, 101, "10.10.199.251", 18334));
  const LegSide b = side_b(media(Codec::kPcmu, 0, -1, "198.51.100.9", 30000));
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  ASSERT_EQ(ab.size(), 2u);
  expect_valid(ab);
  const channel::MediaTreatment& t = ab[0].treatment;
  EXPECT_EQ(t.stages, uint32_t{channel::kTreatEventsToTones});
  EXPECT_EQ(t.pt_map.event_in, 101);
  EXPECT_EQ(t.dtmf.codec, static_cast<uint8_t>(Codec::kPcmu));  // the audio the tones go into
  EXPECT_EQ(t.dtmf.pt, 0);
  EXPECT_EQ(ab[0].spec.flags, uint32_t{channel::kFlowLatch});  // the relay keeps its numbering
  // The other way in-band tones become events inserted into the relay, which renumbers it.
  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  ASSERT_EQ(ba.size(), 2u);
  expect_valid(ba);
  EXPECT_EQ(ba[0].treatment.stages, uint32_t{channel::kTreatTonesToEvents});
  EXPECT_EQ(ba[0].treatment.pt_map.event_out, 101);
  EXPECT_EQ(ba[0].spec.flags, uint32_t{channel::kFlowLatch | channel::kFlowTranslateRtp});
  EXPECT_EQ(ba[1].spec.flags,
            uint32_t{channel::kFlowLatch | channel::kFlowTranslateRtp | channel::kFlowRtcp});
  EXPECT_EQ(ba[1].spec.out_ssrc, ba[0].spec.out_ssrc);
}

TEST(MediaPlanTranscode, DtmfInterworksWhenOnlyOneLegHasTelephoneEvent) {
  const LegSide a = side_a(media(Codec::kPcma, 8, -1, "10.10.199.251", 18334));
  const LegSide b = side_b(media(Codec::kG729, 18, 96, "198.51.100.9", 30000));
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  ASSERT_EQ(ab.size(), 1u);
  expect_valid(ab);
  EXPECT_EQ(ab[0].treatment.stages,
            uint32_t{channel::kTreatTranscode | channel::kTreatTonesToEvents});
  EXPECT_EQ(ab[0].treatment.pt_map.event_out, 96);
  EXPECT_EQ(ab[0].treatment.dtmf.codec, static_cast<uint8_t>(Codec::kPcma));
  EXPECT_EQ(ab[0].treatment.dtmf.pt, 8);
  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  ASSERT_EQ(ba.size(), 1u);
  expect_valid(ba);
  EXPECT_EQ(ba[0].treatment.stages,
            uint32_t{channel::kTreatTranscode | channel::kTreatEventsToTones});
  EXPECT_EQ(ba[0].treatment.pt_map.event_in, 96);
}

TEST(MediaPlanRelay, EventsReportedOnlyFromALegThatHasThem) {
  // B negotiated no telephone-event: B -> A reports nothing; A -> B (a G.729 relay: no tones to
  // play into) reports A's events without a treatment.
  const LegSide a = side_a(media(Codec::kG729, 18, 101, "10.10.199.251", 18334));
  const LegSide b = side_b(media(Codec::kG729, 18, -1, "198.51.100.9", 30000));
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  ASSERT_EQ(ab.size(), 2u);
  ASSERT_EQ(ba.size(), 2u);
  expect_valid(ab);
  EXPECT_EQ(ab[0].treatment.stages, 0u);
  EXPECT_EQ(ab[0].spec.flags & channel::kFlowReportEvents, uint32_t{channel::kFlowReportEvents});
  EXPECT_EQ(ab[0].spec.event_pt, 101);
  EXPECT_EQ(ba[0].spec.flags & channel::kFlowReportEvents, 0u);
  EXPECT_EQ(ba[0].treatment.stages, 0u);
}

TEST(MediaPlanRelay, NoLatchFlagWhenTheLegDoesNotLatch) {
  LegSide a = side_a(media(Codec::kPcmu, 0, -1, "10.10.199.251", 18334));
  a.latch = false;
  const auto ab =
      direction_commands(CommandType::kAddFlow, a,
                         side_b(media(Codec::kPcmu, 0, -1, "198.51.100.9", 30000)), kOptions);
  ASSERT_EQ(ab.size(), 2u);
  EXPECT_EQ(ab[0].spec.flags, 0u);
  EXPECT_EQ(ab[1].spec.flags, uint32_t{channel::kFlowRtcp});
}

TEST(MediaPlanRelay, RtcpGoesToThePeersRtcpAttributePort) {
  LegMedia mb = media(Codec::kPcmu, 0, -1, "198.51.100.9", 30000);
  mb.remote_rtcp_port = 31111;
  const auto ab = from_pcmu_leg_to(mb);
  ASSERT_EQ(ab.size(), 2u);
  EXPECT_TRUE(same(ab[1].spec.remote, "198.51.100.9", 31111));
}

TEST(MediaPlanTranscode, PcmaToG729AndBack) {
  LegMedia ma = media(Codec::kPcma, 8, 101, "10.10.199.251", 18334);
  LegMedia mb = media(Codec::kG729, 18, 101, "198.51.100.9", 30000);
  mb.ptime_ms = 30;
  const LegSide a = side_a(ma);
  const LegSide b = side_b(mb);
  ASSERT_TRUE(needs_transcoding(ma, mb));
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  ASSERT_EQ(ab.size(), 1u);  // no RTCP flow: the two sides' RTP streams differ
  expect_valid(ab);
  const channel::MediaTreatment& t = ab[0].treatment;
  // Both legs have telephone-event: renumbered into the transcoder's stream.
  EXPECT_EQ(t.stages, uint32_t{channel::kTreatTranscode | channel::kTreatEventMap});
  EXPECT_EQ(t.pt_map.event_in, 101);
  EXPECT_EQ(t.pt_map.event_out, 101);
  EXPECT_EQ(t.transcode.in_codec, static_cast<uint8_t>(Codec::kPcma));
  EXPECT_EQ(t.transcode.out_codec, static_cast<uint8_t>(Codec::kG729));
  EXPECT_EQ(t.transcode.in_pt, 8);
  EXPECT_EQ(t.transcode.out_pt, 18);
  EXPECT_EQ(t.transcode.out_ptime_ms, 30);
  EXPECT_EQ(t.transcode.vad_dtx, 0);
  EXPECT_EQ(ab[0].spec.flags, uint32_t{channel::kFlowLatch});  // no SSRC translation flag

  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  ASSERT_EQ(ba.size(), 1u);
  expect_valid(ba);
  EXPECT_EQ(ba[0].treatment.transcode.in_codec, static_cast<uint8_t>(Codec::kG729));
  EXPECT_EQ(ba[0].treatment.transcode.out_codec, static_cast<uint8_t>(Codec::kPcma));
  EXPECT_EQ(ba[0].treatment.transcode.out_ptime_ms, 20);
  // RFC 3550 5.1: random SSRC, first sequence number and timestamp for every new stream.
  const channel::TranscodeParams& x = t.transcode;
  const channel::TranscodeParams& y = ba[0].treatment.transcode;
  EXPECT_FALSE(x.out_ssrc == y.out_ssrc && x.first_seq == y.first_seq &&
               x.ts_offset == y.ts_offset);
}

constexpr uint32_t kCnStages = channel::kTreatTranscode | channel::kTreatComfortNoise;

// a -> b, then b -> a.
std::vector<std::vector<channel::Command>> both_ways(const LegSide& a, const LegSide& b) {
  return {direction_commands(CommandType::kAddFlow, a, b, kOptions),
          direction_commands(CommandType::kAddFlow, b, a, kOptions)};
}

// Each direction between a G.711 and a G.729 leg: one transcoded RTP flow the data plane accepts,
// with the comfort-noise stage of `cn_pt`.
void expect_cn_both_ways(const LegSide& a, const LegSide& b, int cn_pt) {
  for (const auto& cmds : both_ways(a, b)) {
    ASSERT_EQ(cmds.size(), 1u);
    expect_valid(cmds);
    EXPECT_EQ(cmds[0].treatment.stages, kCnStages);
    EXPECT_EQ(cmds[0].treatment.transcode.cn_pt, cn_pt);
  }
}

TEST(MediaPlanTranscode, ComfortNoiseBothDirectionsWithTheG711LegsCnType) {
  LegMedia g711 = media(Codec::kPcma, 8, -1, "10.10.199.251", 18334);
  g711.cn_pt = 13;
  const LegMedia g729 = media(Codec::kG729, 18, -1, "198.51.100.9", 30000);
  // G.711 -> G.729 (its CN consumed) and G.729 -> G.711 (SIDs become CN), on either side.
  expect_cn_both_ways(side_a(g711), side_b(g729), 13);
  expect_cn_both_ways(side_a(g729), side_b(g711), 13);
  g711.cn_pt = 98;  // a dynamic CN type, with telephone-events on both legs
  g711.telephone_event_pt = 101;
  LegMedia g729_events = g729;
  g729_events.telephone_event_pt = 96;
  const auto ba =
      direction_commands(CommandType::kAddFlow, side_b(g729_events), side_a(g711), kOptions);
  ASSERT_EQ(ba.size(), 1u);
  expect_valid(ba);
  EXPECT_EQ(ba[0].treatment.stages, kCnStages | channel::kTreatEventMap);
  EXPECT_EQ(ba[0].treatment.transcode.cn_pt, 98);
}

TEST(MediaPlanTranscode, NoComfortNoiseUnlessTheG711LegNegotiatedIt) {
  const LegMedia g711 = media(Codec::kPcmu, 0, -1, "10.10.199.251", 18334);
  LegMedia g729 = media(Codec::kG729, 18, -1, "198.51.100.9", 30000);
  g729.cn_pt = 13;  // CN on the G.729 leg is not the G.711 peer's consent
  for (const auto& cmds : both_ways(side_a(g711), side_b(g729))) {
    ASSERT_EQ(cmds.size(), 1u);
    EXPECT_EQ(cmds[0].treatment.stages, uint32_t{channel::kTreatTranscode});
    EXPECT_EQ(cmds[0].treatment.transcode.cn_pt, 0);
  }
}

TEST(MediaPlanTranscode, CnTypeTakenByAnotherFormatOfTheFlowFallsBackToContinuousG711) {
  // The G.729 peer numbered its G.729, or its telephone-event, like the G.711 peer's CN: the data
  // plane could not tell them apart, so the flow goes without CN (and passes its validation).
  LegMedia g711 = media(Codec::kPcma, 8, 101, "10.10.199.251", 18334);
  g711.cn_pt = 97;
  for (const LegMedia& g729 : {media(Codec::kG729, 97, 96, "198.51.100.9", 30000),
                               media(Codec::kG729, 18, 97, "198.51.100.9", 30000)}) {
    for (const auto& cmds : both_ways(side_a(g711), side_b(g729))) {
      ASSERT_EQ(cmds.size(), 1u);
      expect_valid(cmds);
      EXPECT_FALSE(cmds[0].treatment.stages & channel::kTreatComfortNoise);
    }
  }
}

TEST(MediaPlanRelay, CnPassesARelayWithoutAStage) {
  LegMedia ma = media(Codec::kPcma, 8, -1, "10.10.199.251", 18334);
  LegMedia mb = media(Codec::kPcma, 8, -1, "198.51.100.9", 30000);
  ma.cn_pt = mb.cn_pt = 13;
  const auto ab = direction_commands(CommandType::kAddFlow, side_a(ma), side_b(mb), kOptions);
  ASSERT_EQ(ab.size(), 2u);
  EXPECT_EQ(ab[0].treatment.stages, 0u);
}

TEST(MediaPlanTranscode, UnusablePtimeBecomes20) {
  LegMedia mb = media(Codec::kG729, 18, -1, "198.51.100.9", 30000);
  mb.ptime_ms = 25;
  const auto ab = from_pcmu_leg_to(mb);
  ASSERT_EQ(ab.size(), 1u);
  EXPECT_EQ(ab[0].treatment.transcode.out_ptime_ms, 20);
  expect_valid(ab);
}

TEST(MediaPlanSrtp, UnprotectFromThePeerProtectTowardsTheOther) {
  LegMedia ma = media(Codec::kPcmu, 0, 101, "10.1.2.12", 6390);
  ma.peer_key = generate_key(channel::SrtpSuite::kAesCm128HmacSha1_80, 2);
  ma.peer_key->mki = 244;
  ma.peer_key->mki_length = 1;
  ma.our_key = generate_key(channel::SrtpSuite::kAesCm128HmacSha1_80, 2);
  LegMedia mb = media(Codec::kPcmu, 0, 101, "198.51.100.9", 30000);
  mb.peer_key = generate_key(channel::SrtpSuite::kAeadAes128Gcm, 1);
  mb.our_key = generate_key(channel::SrtpSuite::kAeadAes128Gcm, 1);
  const LegSide a = side_a(ma);
  const LegSide b = side_b(mb);
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  ASSERT_EQ(ab.size(), 2u);
  expect_valid(ab);
  // The treated RTP flow reports A's events through an identity map (same number on both legs);
  // no flag on the flow then.
  const channel::MediaTreatment& rtp = ab[0].treatment;
  EXPECT_EQ(rtp.stages,
            uint32_t{channel::kTreatSrtpIn | channel::kTreatSrtpOut | channel::kTreatEventMap});
  EXPECT_EQ(rtp.pt_map.event_in, 101);
  EXPECT_EQ(rtp.pt_map.event_out, 101);
  EXPECT_EQ(ab[0].spec.flags & channel::kFlowReportEvents, 0u);
  EXPECT_EQ(ab[1].treatment.stages, uint32_t{channel::kTreatSrtpIn | channel::kTreatSrtpOut});
  for (const channel::Command& c : ab) {  // SRTP on RTP and SRTCP on RTCP, same keys
    EXPECT_EQ(std::memcmp(c.treatment.srtp_in.master_key, ma.peer_key->key, 16), 0);
    EXPECT_EQ(c.treatment.srtp_in.mki, 244u);
    EXPECT_EQ(c.treatment.srtp_in.mki_length, 1);
    EXPECT_EQ(c.treatment.srtp_out.suite, static_cast<uint8_t>(channel::SrtpSuite::kAeadAes128Gcm));
    EXPECT_EQ(std::memcmp(c.treatment.srtp_out.master_key, mb.our_key->key, 16), 0);
    EXPECT_EQ(std::memcmp(c.treatment.srtp_out.master_salt, mb.our_key->salt, 14), 0);
  }
  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  ASSERT_EQ(ba.size(), 2u);
  expect_valid(ba);
  EXPECT_EQ(std::memcmp(ba[0].treatment.srtp_in.master_key, mb.peer_key->key, 16), 0);
  EXPECT_EQ(std::memcmp(ba[0].treatment.srtp_out.master_key, ma.our_key->key, 16), 0);
}

TEST(MediaPlanSrtp, OnlyTheSecureLegGetsItsStage) {
  LegMedia mb = media(Codec::kG729, 18, -1, "198.51.100.9", 30000);
  mb.our_key = generate_key(channel::SrtpSuite::kAesCm128HmacSha1_32, 1);
  mb.peer_key = generate_key(channel::SrtpSuite::kAesCm128HmacSha1_32, 1);
  const auto ab = from_pcmu_leg_to(mb);
  ASSERT_EQ(ab.size(), 1u);
  EXPECT_EQ(ab[0].treatment.stages, uint32_t{channel::kTreatTranscode | channel::kTreatSrtpOut |
                                             channel::kTreatEventsToTones});  // only A has events
  expect_valid(ab);
}

TEST(MediaPlanHold, NoCommandsTowardsAPeerThatCannotReceive) {
  const LegSide a = side_a(media(Codec::kPcmu, 0, -1, "10.10.199.251", 18334));
  for (const auto& [address, port] : std::initializer_list<std::pair<std::string, uint16_t>>{
           {"0.0.0.0", 18334}, {"10.10.199.251", 0}, {"", 18334}, {"not-an-ip", 18334}}) {
    const LegSide b = side_b(media(Codec::kPcmu, 0, -1, address, port));
    EXPECT_TRUE(direction_commands(CommandType::kModifyFlow, a, b, kOptions).empty()) << address;
  }
  // An IPv6 peer on a leg whose local address is IPv4 cannot be reached from it.
  const LegSide v6 = side_b(media(Codec::kPcmu, 0, -1, "2001:db8::9", 30000));
  EXPECT_TRUE(direction_commands(CommandType::kAddFlow, a, v6, kOptions).empty());
  const LegSide v6_hold{1, ip("2001:db8::1"), 20002, media(Codec::kPcmu, 0, -1, "::", 30000), true};
  EXPECT_TRUE(direction_commands(CommandType::kAddFlow, a, v6_hold, kOptions).empty());
}

TEST(MediaPlanHold, Ipv6LegsWork) {
  const LegSide b{1, ip("2001:db8::1"), 20002, media(Codec::kPcmu, 0, -1, "2001:db8::9", 30000),
                  true};
  const auto ab =
      direction_commands(CommandType::kAddFlow,
                         side_a(media(Codec::kPcmu, 0, -1, "10.10.199.251", 18334)), b, kOptions);
  ASSERT_EQ(ab.size(), 2u);
  EXPECT_TRUE(same(ab[0].spec.remote, "2001:db8::9", 30000));
  EXPECT_TRUE(same(ab[0].spec.source, "2001:db8::1", 20002));
  EXPECT_TRUE(same(ab[0].spec.key, "10.0.0.1", 20000));
}

TEST(MediaPlanHold, UnbridgeableCodecsGiveNoCommands) {
  EXPECT_TRUE(from_pcmu_leg_to(media(Codec::kPcma, 8, -1, "198.51.100.9", 30000)).empty());
  const auto none =
      direction_commands(CommandType::kAddFlow, side_a(LegMedia{}),
                         side_b(media(Codec::kPcma, 8, -1, "198.51.100.9", 30000)), kOptions);
  EXPECT_TRUE(none.empty());
}

TEST(MediaPlanDelete, BothPortsOfTheLeg) {
  const auto cmds = delete_commands(side_a(LegMedia{}));
  ASSERT_EQ(cmds.size(), 2u);
  for (const channel::Command& c : cmds)
    EXPECT_EQ(c.hdr.type, static_cast<uint16_t>(CommandType::kDeleteFlow));
  EXPECT_TRUE(same(cmds[0].spec.key, "10.0.0.1", 20000));
  EXPECT_TRUE(same(cmds[1].spec.key, "10.0.0.1", 20001));
}

// A whole call: CUCM offers PCMU + 101 (spec 001); the callee trunk speaks G.729 with
// telephone-event 96; its peer answers; we answer CUCM; both directions' flows pass validation.
TEST(MediaPlanCall, CucmToG729CarrierEndToEnd) {
  std::string error;
  const Trunk cucm_trunk = test::make_trunk({"PCMU", "PCMA"});
  const Trunk carrier = test::make_trunk({"G729"}, SrtpPolicy::kOff, DtmfMode::kRfc4733, 96);
  const std::optional<PeerStream> offer = read_stream(test::kCucmAck, error);
  ASSERT_TRUE(offer) << error;
  const std::vector<Codec> to_offer = codecs_to_offer(&*offer, &cucm_trunk, carrier);
  ASSERT_EQ(to_offer, std::vector<Codec>{Codec::kG729});
  OfferMade made;
  const std::string our_offer = make_offer(to_offer, carrier, LocalMedia{"192.0.2.1", 20002, 1, 1},
                                           MediaDirection::kSendRecv, made);
  ASSERT_NE(our_offer.find("a=rtpmap:96 telephone-event/8000"), std::string::npos);
  const std::optional<PeerStream> carrier_answer = read_stream(
      "v=0\r\no=- 1 1 IN IP4 198.51.100.9\r\ns=-\r\nc=IN IP4 198.51.100.9\r\nt=0 0\r\n"
      "m=audio 30000 RTP/AVP 18 96\r\na=rtpmap:18 G729/8000\r\na=fmtp:18 annexb=no\r\n"
      "a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n",
      error);
  ASSERT_TRUE(carrier_answer) << error;
  LegSide b{1, ip("192.0.2.1"), 20002, {}, true};
  ASSERT_TRUE(read_answer(*carrier_answer, made, carrier, b.media, error)) << error;
  LegSide a{0, ip("10.0.0.1"), 20000, {}, true};
  const std::optional<std::string> our_answer =
      make_answer(*offer, cucm_trunk, {b.media.codec, Codec::kPcmu, Codec::kPcma},
                  LocalMedia{"10.0.0.1", 20000, 2, 1}, MediaDirection::kSendRecv, a.media, error);
  ASSERT_TRUE(our_answer) << error;
  EXPECT_EQ(a.media.codec, Codec::kPcmu);
  EXPECT_EQ(a.media.telephone_event_pt, 101);
  EXPECT_EQ(b.media.telephone_event_pt, 96);
  const auto ab = direction_commands(CommandType::kAddFlow, a, b, kOptions);
  const auto ba = direction_commands(CommandType::kAddFlow, b, a, kOptions);
  ASSERT_EQ(ab.size(), 1u);
  ASSERT_EQ(ba.size(), 1u);
  expect_valid(ab);
  expect_valid(ba);
  EXPECT_EQ(ab[0].treatment.transcode.in_pt, 0);
  EXPECT_EQ(ab[0].treatment.transcode.out_pt, 18);
  EXPECT_TRUE(same(ab[0].spec.remote, "198.51.100.9", 30000));
  EXPECT_TRUE(same(ba[0].spec.remote, "10.10.199.251", 18334));
}

// A PBX offering PCMA + CN to a G.729-only carrier: no CN towards the carrier (G.729 alone), CN in
// our answer to the PBX, and both transcoded directions carry the comfort-noise stage.
TEST(MediaPlanCall, PbxWithCnToG729CarrierGetsComfortNoise) {
  std::string error;
  const Trunk pbx_trunk = test::make_trunk({"PCMA"});
  const Trunk carrier = test::make_trunk({"G729"});
  const PeerStream offer = test::read_ok(test::peer_sdp("m=audio 18334 RTP/AVP 8 13\r\n"));
  const std::vector<Codec> to_offer = codecs_to_offer(&offer, &pbx_trunk, carrier);
  OfferMade made;
  const std::string our_offer = make_offer(to_offer, carrier, LocalMedia{"192.0.2.1", 20002, 1, 1},
                                           MediaDirection::kSendRecv, made, offer.cn_pt);
  EXPECT_EQ(test::read_ok(our_offer).cn_pt, -1) << our_offer;
  // The carrier lists CN next to G.729 anyway: nothing for the data plane.
  const PeerStream carrier_answer = test::read_ok(
      "v=0\r\no=- 1 1 IN IP4 198.51.100.9\r\ns=-\r\nc=IN IP4 198.51.100.9\r\nt=0 0\r\n"
      "m=audio 30000 RTP/AVP 18 13\r\n");
  LegSide b{1, ip("192.0.2.1"), 20002, {}, true};
  ASSERT_TRUE(read_answer(carrier_answer, made, carrier, b.media, error)) << error;
  EXPECT_EQ(b.media.cn_pt, -1);
  LegSide a{0, ip("10.0.0.1"), 20000, {}, true};
  const std::optional<std::string> our_answer = make_answer(
      offer, pbx_trunk, {b.media.codec, Codec::kPcma}, LocalMedia{"10.0.0.1", 20000, 2, 1},
      MediaDirection::kSendRecv, a.media, error, b.media);
  ASSERT_TRUE(our_answer) << error;
  EXPECT_EQ(test::read_ok(*our_answer).cn_pt, 13);
  expect_cn_both_ways(a, b, 13);
}

}  // namespace
}  // namespace trunkgate::cp
