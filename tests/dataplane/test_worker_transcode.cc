// Transcoding as a flow stage of the worker: G.711 in, G.729 out (and back), repacketized to the
// configured ptime in a continuous RTP stream of its own, optionally SRTP-protected; the audio is
// checked by decoding the output and correlating it with the input signal.
#include <gtest/gtest.h>

#include "media/codec/g711.h"
#include "media/codec/g729.h"
#include "tests/dataplane/treatment_helpers.h"
#include "tests/media/libsrtp_peer.h"
#include "tests/media/test_signals.h"

using namespace trunkgate;
using channel::Codec;
using channel::EventType;
using test::rtp_with;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;
constexpr uint32_t kOutSsrc = 0xfeed0001;
constexpr uint16_t kFirstSeq = 65500;  // wraps during the test
constexpr uint32_t kTsOffset = 5000;

channel::MediaTreatment transcoding(Codec in, uint8_t in_pt, Codec out, uint8_t out_pt,
                                    uint8_t ptime) {
  return test::transcoding(in, in_pt, out, out_pt, ptime, {kFirstSeq, kOutSsrc, kTsOffset});
}

// 20 ms G.711 packets of `signal` (PT 8 for A-law, 0 for µ-law).
std::vector<std::vector<uint8_t>> g711_packets(const std::vector<int16_t>& signal,
                                               media::G711Law law) {
  std::vector<std::vector<uint8_t>> out;
  for (size_t at = 0; at + 160 <= signal.size(); at += 160) {
    std::vector<uint8_t> codes(160);
    media::g711_encode(law, std::span(signal).subspan(at, 160), codes.data());
    out.push_back(rtp_with(law == media::G711Law::alaw ? 8 : 0,
                           static_cast<uint16_t>(out.size() + 1), static_cast<uint32_t>(at),
                           codes));
  }
  return out;
}

// Injects every packet (one poll each, like a paced sender) and returns the UDP payloads the
// worker sent, in order, each frame's checksums verified.
std::vector<std::vector<uint8_t>> run(WorkerHarness& h,
                                      const std::vector<std::vector<uint8_t>>& packets) {
  std::vector<std::vector<uint8_t>> out;
  for (const auto& p : packets) {
    h.inject(0, test::frame_to(kPort, p));
    h.poll();
    for (const auto& f : h.sent(1)) {
      EXPECT_TRUE(test::checksums_valid(f, 14));
      out.push_back(test::udp_payload(f));
    }
  }
  return out;
}

// Every packet: PT, payload size, SSRC, consecutive sequence numbers from kFirstSeq and
// timestamps advancing by exactly one ptime.
void expect_continuous(const std::vector<std::vector<uint8_t>>& sent, uint8_t pt,
                       size_t payload_size, uint32_t ts_step) {
  ASSERT_FALSE(sent.empty());
  const uint32_t ts0 = test::be32(&sent[0][4]);
  for (size_t i = 0; i < sent.size(); ++i) {
    ASSERT_EQ(sent[i].size(), 12 + payload_size) << i;
    EXPECT_EQ(sent[i][1] & 0x7f, pt) << i;
    EXPECT_EQ(test::be16(&sent[i][2]), static_cast<uint16_t>(kFirstSeq + i)) << i;
    EXPECT_EQ(test::be32(&sent[i][4]), ts0 + ts_step * i) << i;
    EXPECT_EQ(test::be32(&sent[i][8]), kOutSsrc) << i;
  }
}

channel::FlowSpec add_flow(WorkerHarness& h, const channel::MediaTreatment& t) {
  return test::add_carrier_flow(h, kPort, t);
}

TEST(WorkerTranscode, PcmaToG729At20ms) {
  WorkerHarness h;
  add_flow(h, transcoding(Codec::kPcma, 8, Codec::kG729, 18, 20));
  const auto signal = media::test::vowel(8000);  // 1 s
  const auto sent = run(h, g711_packets(signal, media::G711Law::alaw));
  ASSERT_EQ(sent.size(), 50u);
  expect_continuous(sent, 18, 20, 160);  // two 10-byte frames per 20 ms packet
  EXPECT_GT(media::test::best_correlation(signal, test::decode_g729(sent), 1600, 160), 0.6);
  const auto st = h.stats();
  EXPECT_EQ(st.transcode_in, 50u);
  EXPECT_EQ(st.tx, 50u);
}

TEST(WorkerTranscode, RepacketizesTo40ms) {
  WorkerHarness h;
  const auto spec = add_flow(h, transcoding(Codec::kPcmu, 0, Codec::kG729, 18, 40));
  const auto signal = media::test::vowel(8000);
  const auto sent = run(h, g711_packets(signal, media::G711Law::ulaw));
  ASSERT_EQ(sent.size(), 25u);  // every second input completes a packet
  expect_continuous(sent, 18, 40, 320);
  EXPECT_GT(media::test::best_correlation(signal, test::decode_g729(sent), 1600, 160), 0.6);
  // The flow counts what arrived and what it sent apart (the control plane's CDRs use both).
  const channel::FlowCounters c = test::flow_counters(h, spec.key);
  EXPECT_EQ(c.received, 50u);
  EXPECT_EQ(c.packets, 25u);
}

TEST(WorkerTranscode, G729ToPcmu) {
  WorkerHarness h;
  add_flow(h, transcoding(Codec::kG729, 18, Codec::kPcmu, 0, 20));
  const auto signal = media::test::vowel(8000);
  media::G729Encoder encoder(false);
  std::vector<std::vector<uint8_t>> packets;
  for (size_t at = 0; at + 160 <= signal.size(); at += 160) {
    std::vector<uint8_t> frames(20);
    encoder.encode(&signal[at], frames.data());
    encoder.encode(&signal[at + 80], frames.data() + 10);
    packets.push_back(rtp_with(18, static_cast<uint16_t>(packets.size()),
                               static_cast<uint32_t>(at), frames));
  }
  const auto sent = run(h, packets);
  ASSERT_EQ(sent.size(), 50u);
  expect_continuous(sent, 0, 160, 160);
  std::vector<int16_t> decoded;
  for (const auto& p : sent) {
    int16_t pcm[160];
    media::g711_decode(media::G711Law::ulaw, std::span(p).subspan(12), pcm);
    decoded.insert(decoded.end(), pcm, pcm + 160);
  }
  EXPECT_GT(media::test::best_correlation(signal, decoded, 1600, 160), 0.6);
}

TEST(WorkerTranscode, PlainPcmaInG729SrtpOut) {
  WorkerHarness h;
  auto t = transcoding(Codec::kPcma, 8, Codec::kG729, 18, 20);
  t.stages |= channel::kTreatSrtpOut;
  t.srtp_out = test::srtp_params(21);
  add_flow(h, t);
  const auto signal = media::test::vowel(8000);
  auto sent = run(h, g711_packets(signal, media::G711Law::alaw));
  ASSERT_EQ(sent.size(), 50u);
  media::test::LibsrtpPeer carrier(test::policy_of(t.srtp_out), true);
  for (auto& p : sent) ASSERT_EQ(carrier.unprotect(p), srtp_err_status_ok);
  expect_continuous(sent, 18, 20, 160);
  EXPECT_GT(media::test::best_correlation(signal, test::decode_g729(sent), 1600, 160), 0.6);
}

TEST(WorkerTranscode, OtherPayloadTypesAndBrokenPayloadsAreDropped) {
  WorkerHarness h;
  const auto spec = add_flow(h, transcoding(Codec::kPcma, 8, Codec::kG729, 18, 20));
  const auto sent = run(h, {rtp_with(0, 1, 0, std::vector<uint8_t>(160, 0xff)),     // PCMU
                            rtp_with(101, 2, 0, std::vector<uint8_t>(4, 0)),        // event
                            rtp_with(8, 3, 0, std::vector<uint8_t>(79, 0xd5))});    // 9.875 ms
  EXPECT_TRUE(sent.empty());
  EXPECT_EQ(test::flow_counters(h, spec.key).drops[channel::kFlowDropTranscode], 3u);
  EXPECT_EQ(h.stats().drops[channel::kDropTranscode], 3u);
}

}  // namespace
