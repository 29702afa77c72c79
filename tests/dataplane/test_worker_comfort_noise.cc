// Comfort noise across a transcoder (SIPconnect 2.0 section 14.3), on net_ring ports with the
// worker's clock stepped 20 ms at a time:
// - G.729 with Annex B DTX towards a G.711 peer that did not offer CN: the G.711 output never goes
//   discontinuous: one 20 ms packet per step, sequence and timestamps gap-free, through speech,
//   SID, silence (nothing received) and speech again;
// - the same peer having offered CN (PT 13): the SID becomes one RFC 3389 packet, then silence,
//   then speech with the marker bit;
// - RFC 3389 CN from the G.711 side ends the G.729 talkspurt (DTX) instead of being dropped.
#include <gtest/gtest.h>

#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "tests/dataplane/treatment_helpers.h"
#include "tests/media/test_signals.h"

using namespace trunkgate;
using channel::Codec;
using channel::EventType;
using test::rtp_with;
using test::StepOutput;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;
constexpr uint16_t kFirstSeq = 65500;
constexpr uint32_t kOutSsrc = 0xc0ffee01;
constexpr uint32_t kTsOffset = 123456;
constexpr uint8_t kCn = 13;

channel::MediaTreatment transcoding(Codec in, uint8_t in_pt, Codec out, uint8_t out_pt, bool cn) {
  auto t = test::transcoding(in, in_pt, out, out_pt, 20, {kFirstSeq, kOutSsrc, kTsOffset});
  if (cn) {
    t.stages |= channel::kTreatComfortNoise;
    t.transcode.cn_pt = kCn;
  }
  return t;
}

void add_flow(WorkerHarness& h, const channel::MediaTreatment& t) {
  test::add_carrier_flow(h, kPort, t);
}

// 300 ms of speech, 400 ms of silence, 300 ms of speech.
std::vector<int16_t> talk_pause_talk() {
  auto pcm = media::test::vowel(2400);
  pcm.insert(pcm.end(), 3200, 0);
  const auto again = media::test::vowel(2400);
  pcm.insert(pcm.end(), again.begin(), again.end());
  return pcm;
}

// What a G.729 Annex B sender puts on the wire every 20 ms: speech frames, a SID, or (DTX)
// nothing; empty entries are steps without a packet.
std::vector<std::vector<uint8_t>> g729_dtx_payloads(const std::vector<int16_t>& pcm) {
  media::G729Encoder encoder(true);
  std::vector<std::vector<uint8_t>> out;
  for (size_t at = 0; at + 160 <= pcm.size(); at += 160) {
    std::vector<uint8_t> payload;
    for (size_t half = 0; half < 2; ++half) {
      uint8_t frame[10];
      const auto f = encoder.encode(&pcm[at + 80 * half], frame);
      if (f.kind == media::G729FrameKind::sid && half == 0) {
        // RFC 3551: a SID ends the payload; the second 10 ms are DTX whatever the encoder says.
        payload.assign(frame, frame + f.length);
        uint8_t ignored[10];
        encoder.encode(&pcm[at + 80], ignored);
        break;
      }
      payload.insert(payload.end(), frame, frame + f.length);
    }
    out.push_back(payload);
  }
  return out;
}

TEST(WorkerComfortNoise, G711WithoutCnStaysContinuousThroughG729Dtx) {
  WorkerHarness h;
  add_flow(h, transcoding(Codec::kG729, 18, Codec::kPcmu, 0, false));
  const auto payloads = g729_dtx_payloads(talk_pause_talk());
  size_t silent_steps = 0;
  StepOutput out;
  for (size_t i = 0; i < payloads.size(); ++i) {
    std::vector<std::vector<uint8_t>> packets;
    if (!payloads[i].empty())
      packets.push_back(
          rtp_with(18, static_cast<uint16_t>(i), static_cast<uint32_t>(i * 160), payloads[i]));
    else
      ++silent_steps;
    test::step(h, kPort, packets, 20, out);
  }
  ASSERT_GT(silent_steps, 5u) << "the encoder's DTX must leave steps without a packet";
  // One 160-byte PCMU packet per step (the first fills lag one packet of jitter allowance), in
  // one gap-free stream.
  EXPECT_GE(out.sent.size(), payloads.size() - 2);
  EXPECT_LE(out.sent.size(), payloads.size());
  for (size_t i = 0; i < out.sent.size(); ++i) {
    ASSERT_EQ(out.sent[i].size(), 12u + 160u) << i;
    EXPECT_EQ(out.sent[i][1] & 0x7f, 0) << i;
    EXPECT_EQ(test::be16(&out.sent[i][2]), static_cast<uint16_t>(kFirstSeq + i)) << i;
    EXPECT_EQ(test::be32(&out.sent[i][4]), kTsOffset + 160 * i) << i;
  }
}

TEST(WorkerComfortNoise, SidBecomesOneCnPacketWhenTheG711PeerOfferedCn) {
  WorkerHarness h;
  add_flow(h, transcoding(Codec::kG729, 18, Codec::kPcmu, 0, true));
  const auto payloads = g729_dtx_payloads(talk_pause_talk());
  StepOutput out;
  for (size_t i = 0; i < payloads.size(); ++i)
    test::step(h, kPort,
               payloads[i].empty() ? std::vector<std::vector<uint8_t>>{}
                                   : std::vector<std::vector<uint8_t>>{rtp_with(
                                         18, static_cast<uint16_t>(i),
                                         static_cast<uint32_t>(i * 160), payloads[i])},
               20, out);
  size_t cn_packets = 0;
  bool after_cn = false;
  for (size_t i = 0; i < out.sent.size(); ++i) {
    const auto& p = out.sent[i];
    EXPECT_EQ(test::be16(&p[2]), static_cast<uint16_t>(kFirstSeq + i)) << i;
    if ((p[1] & 0x7f) == kCn) {
      ++cn_packets;
      EXPECT_EQ(p.size(), 13u);  // the noise level only
      EXPECT_GT(p[12], 0);
      after_cn = true;
      continue;
    }
    EXPECT_EQ(p[1] & 0x7f, 0);
    if (after_cn) {  // the first speech after the silence opens a talkspurt
      EXPECT_TRUE(p[1] & 0x80) << i;
      after_cn = false;
    }
  }
  EXPECT_GE(cn_packets, 1u);
  // Discontinuous: fewer packets than steps.
  EXPECT_LT(out.sent.size() + 5, payloads.size());
}

TEST(WorkerComfortNoise, CnFromTheG711SideEndsTheG729Talkspurt) {
  WorkerHarness h;
  add_flow(h, transcoding(Codec::kPcma, 8, Codec::kG729, 18, true));
  const auto speech = media::test::vowel(1600);
  auto g711 = [&](uint32_t ts, uint16_t seq) {
    std::vector<uint8_t> codes(160);
    media::g711_encode(media::G711Law::alaw, std::span(speech).subspan(ts % 1600, 160),
                       codes.data());
    return rtp_with(8, seq, ts, codes);
  };
  StepOutput out;
  uint16_t seq = 0;
  uint32_t ts = 0;
  for (; ts < 800; ts += 160) test::step(h, kPort, {g711(ts, seq++)}, 20, out);
  const size_t before_cn = out.sent.size();
  test::step(h, kPort, {rtp_with(kCn, seq++, ts, {40})}, 20, out);  // -40 dBov, then silence
  ts += 160;
  for (int i = 0; i < 10; ++i, ts += 160) test::step(h, kPort, {}, 20, out);
  EXPECT_EQ(out.sent.size(), before_cn);  // DTX: nothing while the G.711 side is silent
  for (int i = 0; i < 3; ++i, ts += 160) test::step(h, kPort, {g711(ts, seq++)}, 20, out);
  ASSERT_EQ(out.sent.size(), before_cn + 3);
  EXPECT_TRUE(out.sent[before_cn][1] & 0x80);  // a new talkspurt
  for (size_t i = 0; i < out.sent.size(); ++i)
    EXPECT_EQ(test::be16(&out.sent[i][2]), static_cast<uint16_t>(kFirstSeq + i)) << i;
  EXPECT_EQ(h.stats().drops[channel::kDropTranscode], 0u);
  EXPECT_EQ(h.stats().transcode_in, seq);  // the CN packet was consumed, not dropped
}

}  // namespace
