// Hostile input on treated flows: random datagrams (some shaped like RTP/RTCP with a random
// payload type, padding bit, length) at SRTP, payload-map, transcoding, DTMF interworking and
// comfort-noise flows never crash the worker, and every packet is accounted for exactly once;
// malformed telephone-events are counted under bad_event.
#include <gtest/gtest.h>

#include <random>

#include "media/dtmf/telephone_event.h"
#include "tests/dataplane/treatment_helpers.h"

using namespace trunkgate;
using channel::EventType;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;

channel::MediaTreatment every_relay_stage() {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatSrtpIn | channel::kTreatSrtpOut | channel::kTreatPayloadMap |
             channel::kTreatEventMap | channel::kTreatDtmfDetect;
  t.srtp_in = test::srtp_params(41, channel::SrtpSuite::kAeadAes128Gcm);
  t.srtp_in.mki_length = 4;
  t.srtp_in.mki = 0xdeadbeef;
  t.srtp_out = test::srtp_params(42, channel::SrtpSuite::kAesCm128HmacSha1_32);
  t.pt_map = {8, 0, 101, 96};
  t.dtmf = {static_cast<uint8_t>(channel::Codec::kPcma), 8, {}};
  return t;
}

// Transcoding plus one more stage: G.729 -> PCMU at 40 ms protected with SRTP, or PCMU (with
// VAD/DTX on the G.729 side) -> G.729 at 30 ms with DTMF detection on its input.
channel::MediaTreatment transcoding(bool from_g729) {
  channel::MediaTreatment t{};
  const auto g729 = static_cast<uint8_t>(channel::Codec::kG729);
  const auto pcmu = static_cast<uint8_t>(channel::Codec::kPcmu);
  if (from_g729) {
    t.stages = channel::kTreatTranscode | channel::kTreatSrtpOut;
    t.transcode = {g729, pcmu, 18, 0, 40, 0, 1, 2, 3, 0, {}};
    t.srtp_out = test::srtp_params(43);
  } else {
    t.stages = channel::kTreatTranscode | channel::kTreatDtmfDetect;
    t.transcode = {pcmu, g729, 0, 18, 30, 1, 1, 2, 3, 0, {}};
    t.dtmf = {pcmu, 0, {}};
  }
  return t;
}

// Every interworking stage at once: a G.711 relay playing RFC 4733 as tones, or inserting events
// for in-band tones; PCMU -> G.729 turning
// tones into events, renumbering received events and taking CN; G.729 -> PCMU playing events
// into the transcoder with CN on the G.711 side.
channel::MediaTreatment interworking(int which) {
  channel::MediaTreatment t{};
  const auto g729 = static_cast<uint8_t>(channel::Codec::kG729);
  const auto pcmu = static_cast<uint8_t>(channel::Codec::kPcmu);
  t.pt_map = {0, 0, 101, 96};
  t.dtmf = {pcmu, 0, {}};
  if (which == 0) {
    t.stages = channel::kTreatEventsToTones;
  } else if (which == 3) {  // on a translating relay
    t.stages = channel::kTreatTonesToEvents;
  } else if (which == 1) {
    t.stages = channel::kTreatTranscode | channel::kTreatTonesToEvents | channel::kTreatEventMap |
               channel::kTreatComfortNoise;
    t.transcode = {pcmu, g729, 0, 18, 20, 1, 1, 2, 3, 13, {}};
  } else {
    t.stages =
        channel::kTreatTranscode | channel::kTreatEventsToTones | channel::kTreatComfortNoise;
    t.transcode = {g729, pcmu, 18, 0, 20, 0, 1, 2, 3, 13, {}};
  }
  return t;
}

// Random datagrams; two thirds start like RTP or RTCP so they get past the relay's validation.
std::vector<uint8_t> hostile_payload(std::mt19937& rng) {
  std::vector<uint8_t> p(1 + rng() % 400);
  for (auto& b : p) b = static_cast<uint8_t>(rng());
  switch (rng() % 3) {
    case 0:
      p[0] = static_cast<uint8_t>(0x80 | (p[0] & 0x3f));  // V=2, random P/X/CC
      break;
    case 1:
      p[0] = 0x80;
      if (p.size() > 1) {  // the flows' own payload types: audio, telephone-event, CN
        constexpr uint8_t kTypes[] = {18, 0, 101, 13};
        p[1] = static_cast<uint8_t>(kTypes[rng() % 4] | (rng() % 2 ? 0x80 : 0));
      }
      break;
    default:
      break;
  }
  return p;
}

class HostileTreatment : public ::testing::TestWithParam<int> {};

TEST_P(HostileTreatment, EveryPacketIsAccountedAndTheWorkerSurvives) {
  WorkerHarness h;
  const channel::MediaTreatment treatments[] = {
      every_relay_stage(), transcoding(true), transcoding(false), interworking(0),
      interworking(1),     interworking(2),   interworking(3)};
  const bool relay = GetParam() == 0 || GetParam() == 3 || GetParam() == 6;
  auto spec = h.relay_spec(kPort, "198.51.100.10:30000", 20002);
  spec.flags = channel::kFlowRtcpMux | (GetParam() == 6 ? channel::kFlowTranslateRtp : 0u);
  ASSERT_EQ(test::type_of(test::add_treated(h, spec, treatments[GetParam()])),
            EventType::kCommandOk);
  std::mt19937 rng(static_cast<unsigned>(GetParam()) + 1);
  constexpr unsigned kPackets = 3000;
  uint64_t sent = 0;
  for (unsigned i = 0; i < kPackets; ++i) {
    h.inject(0, test::frame_to(kPort, hostile_payload(rng)));
    if (i % 32 == 31) {
      h.poll();
      for (const auto& f : h.sent(1)) {
        EXPECT_TRUE(test::checksums_valid(f, 14));
        ++sent;
      }
    }
  }
  h.poll();
  sent += h.sent(1).size();
  h.events();
  const auto st = h.stats();
  uint64_t drops = 0;
  for (uint64_t d : st.drops) drops += d;
  EXPECT_EQ(st.rx, kPackets);
  EXPECT_EQ(st.tx, sent);
  // Transcoded RTP leaves as new packets (transcode_in), events played as tones are consumed
  // (transcode_in); RTCP on a transcoding flow, and every other packet of a relay flow, is
  // forwarded as itself or dropped once.
  const uint64_t forwarded = relay ? st.tx : test::flow_counters(h, spec.key).rtcp_packets;
  EXPECT_EQ(st.rx, forwarded + st.transcode_in + drops + st.handoff + st.exception);
  EXPECT_EQ(h.stats().treated_flows, 1u);
}

INSTANTIATE_TEST_SUITE_P(Worker, HostileTreatment, ::testing::Values(0, 1, 2, 3, 4, 5, 6));

// Telephone-events a broken or hostile sender could send: bad lengths and non-DTMF events are
// dropped and counted (bad_event); absurd durations, end packets without a start and shrinking
// durations are played for what they say, never crash, and leave the flow working.
TEST(HostileTelephoneEvents, MalformedAreCountedAbsurdAreSurvived) {
  WorkerHarness h;
  const auto spec = h.relay_spec(kPort, "198.51.100.10:30000", 20002);
  ASSERT_EQ(test::type_of(test::add_treated(h, spec, interworking(0))), EventType::kCommandOk);
  auto event = [](std::vector<uint8_t> payload, uint32_t ts) {
    return test::rtp_with(101, 1, ts, payload);
  };
  const std::vector<std::vector<uint8_t>> malformed = {
      event({}, 0), event({1, 0x0a, 0}, 0), event({1, 0x0a, 0, 160, 2}, 0),
      event({200, 0x0a, 0, 160}, 0) /* not DTMF: cannot be played */};
  for (const auto& p : malformed) h.inject(0, test::frame_to(kPort, p));
  const std::vector<std::vector<uint8_t>> absurd = {
      event({5, 0x8a, 0xff, 0xff}, 8000),  // an end with no start, 8 s long
      event({6, 0x0a, 0xff, 0xff}, 9000), event({6, 0x0a, 0, 10}, 9000),  // shrinking
      event({7, 0x3f, 0, 0}, 10000)};
  for (const auto& p : absurd) h.inject(0, test::frame_to(kPort, p));
  h.poll();
  // The audio still flows, the last digit (never ended) playing in it until its sender has been
  // quiet for DtmfInterworking::kEventSilenceSamples (300 ms), then silence again.
  std::vector<uint8_t> silence(160, 0xff);
  for (uint32_t ts = 10000; ts < 10000 + 160 * 50; ts += 160)
    h.inject(0, test::frame_to(kPort, test::rtp_with(0, 2, ts, silence)));
  h.poll(4);
  const auto sent = h.sent(1);
  ASSERT_EQ(sent.size(), 50u);
  EXPECT_NE(test::udp_payload(sent[0])[12 + 80], 0xff);  // the tone
  for (size_t i = 20; i < sent.size(); ++i)
    EXPECT_EQ(test::udp_payload(sent[i])[12 + 80], 0xff) << i;
  std::string ended;
  for (const auto& e : h.events())
    if (test::type_of(e) == EventType::kDtmf && e.dtmf.end)
      ended += media::dtmf_event_to_char(e.dtmf.event);
  EXPECT_EQ(ended, "567");  // 5: end without start; 6: ended by 7; 7: expired
  EXPECT_EQ(test::flow_counters(h, spec.key).drops[channel::kFlowDropBadEvent], malformed.size());
  const auto st = h.stats();
  EXPECT_EQ(st.drops[channel::kDropBadEvent], malformed.size());
  EXPECT_EQ(st.transcode_in, absurd.size());
}

}  // namespace
