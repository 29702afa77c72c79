// The two transcoding directions as the data plane runs them: RTP payloads in, complete RTP
// packets of the other codec out, with the leg's own sequence numbers, timestamps and markers.
#include <gtest/gtest.h>

#include <vector>

#include "media/cn/comfort_noise.h"
#include "media/codec/g711.h"
#include "media/rtp/rtp_header.h"
#include "media/transcode/g711_to_g729_leg.h"
#include "media/transcode/g729_to_g711_leg.h"
#include "tests/media/test_signals.h"

namespace trunkgate::media {
namespace {

struct Sent {
  RtpHeader header;
  std::vector<uint8_t> payload;
};

void collect(std::span<const TranscodedPacket> packets, std::vector<Sent>& sent) {
  for (const auto& p : packets) {
    Sent s;
    ASSERT_EQ(parse_rtp(std::span(p.data, p.length), s.header), RtpError::ok);
    s.payload.assign(p.data + s.header.header_length, p.data + p.length);
    sent.push_back(s);
  }
}

RtpLegConfig leg(uint8_t pt, unsigned ptime) {
  RtpLegConfig c;
  c.payload_type = pt;
  c.ssrc = 0x7788;
  c.first_sequence = 65530;
  c.timestamp_offset = 1000;
  c.ptime_ms = ptime;
  return c;
}

// PCMA 20 ms packets of `signal` through the G.711 -> G.729 leg.
std::vector<Sent> pcma_to_g729(const std::vector<int16_t>& signal, bool vad, unsigned out_ptime) {
  G711ToG729Leg l;
  EXPECT_TRUE(l.configure(G711Law::alaw, vad, leg(18, out_ptime)));
  std::vector<Sent> sent;
  for (std::size_t at = 0; at + 160 <= signal.size(); at += 160) {
    uint8_t pcma[160];
    g711_encode(G711Law::alaw, std::span(signal).subspan(at, 160), pcma);
    TranscodedPacket out[G711ToG729Leg::kMaxPacketsPerCall];
    std::size_t n = 0;
    EXPECT_EQ(l.process(pcma, static_cast<uint32_t>(at), out, n), TranscodeError::ok);
    collect(std::span(out, n), sent);
  }
  return sent;
}

TEST(TranscodeLeg, PcmaInGivesPt18With20BytePayloadsAndContinuousHeaders) {
  const auto signal = test::vowel(8000);
  const auto sent = pcma_to_g729(signal, false, 20);
  ASSERT_EQ(sent.size(), 50u);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].header.payload_type, 18);
    EXPECT_EQ(sent[i].payload.size(), 20u);
    EXPECT_EQ(sent[i].header.ssrc, 0x7788u);
    EXPECT_EQ(sent[i].header.sequence, static_cast<uint16_t>(65530 + i));  // wraps
    EXPECT_EQ(sent[i].header.timestamp, 1000 + 160 * i);
    EXPECT_EQ(sent[i].header.marker, i == 0);
  }
  // And the audio is what went in.
  G729Decoder decoder;
  std::vector<int16_t> decoded;
  for (const auto& s : sent) {
    int16_t pcm[160];
    std::size_t samples = 0;
    ASSERT_EQ(decoder.decode_payload(s.payload, pcm, samples), G729PayloadError::ok);
    decoded.insert(decoded.end(), pcm, pcm + samples);
  }
  EXPECT_GT(test::best_correlation(signal, decoded, 1600, 160), 0.6);
}

TEST(TranscodeLeg, Ptime40PacksFourFrames) {
  const auto sent = pcma_to_g729(test::vowel(8000), false, 40);
  ASSERT_EQ(sent.size(), 25u);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].payload.size(), 40u);
    EXPECT_EQ(sent[i].header.timestamp, 1000 + 320 * i);
  }
}

TEST(TranscodeLeg, DtxSilenceSendsSidThenNothingAndMarksTheNextTalkspurt) {
  auto signal = test::vowel(8000);
  signal.resize(24000, 0);  // 2 s of digital silence after 1 s of speech
  const auto speech_again = test::vowel(8000);
  signal.insert(signal.end(), speech_again.begin(), speech_again.end());
  const auto sent = pcma_to_g729(signal, true, 20);
  std::size_t sid_packets = 0, resumed_at = 0;
  for (std::size_t i = 1; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].header.sequence, static_cast<uint16_t>(sent[i - 1].header.sequence + 1));
    EXPECT_GT(sent[i].header.timestamp, sent[i - 1].header.timestamp);
    sid_packets += sent[i].payload.size() % 10 == 2;
    if (sent[i].header.marker && resumed_at == 0) resumed_at = i;
  }
  EXPECT_GE(sid_packets, 1u);
  EXPECT_LT(sent.size(), 150u);  // 4 s at 20 ms would be 200 packets without DTX
  ASSERT_GT(resumed_at, 0u);
  EXPECT_GE(sent[resumed_at].header.timestamp, 1000u + 24000u);  // the speech after the gap
}

TEST(TranscodeLeg, G729InGivesPcmuAtTheLegPtime) {
  G729Encoder encoder(false);
  G729ToG711Leg l;
  ASSERT_TRUE(l.configure(G711Law::ulaw, leg(0, 30), G729ToG711Leg::kNoCn));
  const auto signal = test::vowel(4800);
  std::vector<Sent> sent;
  for (std::size_t at = 0; at + 160 <= signal.size(); at += 160) {
    uint8_t payload[20];
    encoder.encode(signal.data() + at, payload);
    encoder.encode(signal.data() + at + 80, payload + 10);
    TranscodedPacket out[G729ToG711Leg::kMaxPacketsPerCall];
    std::size_t n = 0;
    ASSERT_EQ(l.process(payload, static_cast<uint32_t>(at), out, n), TranscodeError::ok);
    collect(std::span(out, n), sent);
  }
  ASSERT_EQ(sent.size(), 20u);  // 600 ms in 30 ms packets
  for (std::size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].header.payload_type, 0);
    EXPECT_EQ(sent[i].payload.size(), 240u);
    EXPECT_EQ(sent[i].header.timestamp, 1000 + 240 * i);
  }
  uint8_t bad[13] = {};
  std::size_t n = 0;
  TranscodedPacket out[1];
  EXPECT_EQ(l.process(bad, 0, out, n), TranscodeError::bad_payload);
}

TEST(TranscodeLeg, WithoutCnTheG711LegStaysContinuousThroughDtx) {
  G729ToG711Leg l;
  ASSERT_TRUE(l.configure(G711Law::ulaw, leg(0, 20), G729ToG711Leg::kNoCn));
  G729Encoder encoder(false);
  const auto signal = test::vowel(1600);
  std::vector<Sent> sent;
  TranscodedPacket out[G729ToG711Leg::kMaxPacketsPerCall];
  std::size_t n = 0;
  for (std::size_t at = 0; at + 160 <= signal.size(); at += 160) {
    uint8_t payload[20];
    encoder.encode(signal.data() + at, payload);
    encoder.encode(signal.data() + at + 80, payload + 10);
    ASSERT_EQ(l.process(payload, static_cast<uint32_t>(at), out, n), TranscodeError::ok);
    collect(std::span(out, n), sent);
  }
  const uint8_t sid[2] = {0x34, 0x50};
  ASSERT_EQ(l.process(sid, 1600, out, n), TranscodeError::ok);  // SID frame: 10 ms of noise
  collect(std::span(out, n), sent);
  for (uint32_t ts = 1680; ts < 1680 + 800; ts += 160) {  // the timer keeps the leg going
    ASSERT_EQ(l.fill(ts, 160, out, n), TranscodeError::ok);
    collect(std::span(out, n), sent);
  }
  ASSERT_GE(sent.size(), 14u);
  for (std::size_t i = 1; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].header.payload_type, 0);
    EXPECT_EQ(sent[i].header.timestamp, sent[i - 1].header.timestamp + 160) << i;
    EXPECT_EQ(sent[i].header.sequence, static_cast<uint16_t>(sent[i - 1].header.sequence + 1));
  }
  EXPECT_EQ(l.fill(0, 100, out, n), TranscodeError::bad_payload);
}

TEST(TranscodeLeg, WithCnASidBecomesOneCnPacketAndFillStaysQuiet) {
  G729ToG711Leg l;
  ASSERT_TRUE(l.configure(G711Law::ulaw, leg(0, 20), 13));
  G729Encoder encoder(true);
  ComfortNoiseGenerator noise;
  noise.reset(3);
  noise.set_level(50);
  std::vector<int16_t> signal = test::vowel(4000);
  std::vector<int16_t> quiet(8000);
  noise.render(quiet.data(), quiet.size());
  signal.insert(signal.end(), quiet.begin(), quiet.end());
  std::vector<Sent> sent;
  TranscodedPacket out[G729ToG711Leg::kMaxPacketsPerCall];
  std::size_t n = 0;
  bool sid_seen = false;
  for (std::size_t at = 0; at + 80 <= signal.size() && !sid_seen; at += 80) {
    uint8_t frame[10];
    const G729EncodedFrame f = encoder.encode(signal.data() + at, frame);
    if (f.kind == G729FrameKind::untransmitted) continue;
    ASSERT_EQ(l.process(std::span(frame, f.length), static_cast<uint32_t>(at), out, n), TranscodeError::ok);
    collect(std::span(out, n), sent);
    sid_seen = f.kind == G729FrameKind::sid;
  }
  ASSERT_TRUE(sid_seen);
  ASSERT_FALSE(sent.empty());
  const Sent& cn = sent.back();
  EXPECT_EQ(cn.header.payload_type, 13);
  ASSERT_EQ(cn.payload.size(), 1u);
  EXPECT_NEAR(cn.payload[0], 50, 6);  // the noise level the SID described
  ASSERT_EQ(l.fill(0, 160, out, n), TranscodeError::ok);
  EXPECT_EQ(n, 0u);
}

}  // namespace
}  // namespace trunkgate::media
