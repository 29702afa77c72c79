// Hostile input on treated flows: random datagrams (some shaped like RTP/RTCP with a random
// payload type, padding bit, length) at SRTP, payload-map, transcoding and DTMF flows never crash
// the worker, and every packet is accounted for exactly once.
#include <gtest/gtest.h>

#include <random>

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
      if (p.size() > 1) p[1] = static_cast<uint8_t>(rng() % 2 ? 18 : 0);  // the flows' own PTs
      break;
    default:
      break;
  }
  return p;
}

class HostileTreatment : public ::testing::TestWithParam<int> {};

TEST_P(HostileTreatment, EveryPacketIsAccountedAndTheWorkerSurvives) {
  WorkerHarness h;
  const channel::MediaTreatment treatments[] = {every_relay_stage(), transcoding(true),
                                                transcoding(false)};
  auto spec = h.relay_spec(kPort, "198.51.100.10:30000", 20002);
  spec.flags = channel::kFlowRtcpMux;
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
  // Transcoded RTP leaves as new packets (transcode_in); RTCP on a transcoding flow, and every
  // packet of a relay flow, is forwarded as itself or dropped once.
  const uint64_t forwarded =
      GetParam() == 0 ? st.tx : test::flow_counters(h, spec.key).rtcp_packets;
  EXPECT_EQ(st.rx, forwarded + st.transcode_in + drops + st.handoff + st.exception);
  EXPECT_EQ(h.stats().treated_flows, 1u);
}

INSTANTIATE_TEST_SUITE_P(Worker, HostileTreatment, ::testing::Values(0, 1, 2));

}  // namespace
