// In-band DTMF detection as a flow stage: digits in a G.711 stream are reported to the control
// plane as kDtmf events (start, end with duration, in order) while the audio goes on; speech
// alone reports nothing.
#include <gtest/gtest.h>

#include <string>

#include "media/codec/g711.h"
#include "media/dtmf/dtmf_tone_generator.h"
#include "media/dtmf/telephone_event.h"
#include "tests/dataplane/treatment_helpers.h"
#include "tests/media/test_signals.h"

using namespace trunkgate;
using channel::EventType;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;
constexpr unsigned kPacketSamples = 160;  // 20 ms
constexpr unsigned kDigitPackets = 5;      // 100 ms tone, then 100 ms silence

channel::MediaTreatment dtmf_detection() {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatDtmfDetect;
  t.dtmf.codec = static_cast<uint8_t>(channel::Codec::kPcma);
  t.dtmf.pt = 8;
  return t;
}

// `digits` as 100 ms tones separated by 100 ms of silence, in 20 ms PCMA packets.
std::vector<int16_t> dtmf_signal(const std::string& digits) {
  std::vector<int16_t> pcm;
  media::DtmfToneGenerator gen;
  for (char d : digits) {
    gen.start(media::dtmf_event_from_char(d));
    std::vector<int16_t> tone(kDigitPackets * kPacketSamples);
    gen.render(tone.data(), tone.size());
    gen.stop();
    pcm.insert(pcm.end(), tone.begin(), tone.end());
    pcm.insert(pcm.end(), kDigitPackets * kPacketSamples, 0);
  }
  return pcm;
}

// Sends `pcm` as PCMA packets and returns the kDtmf events; every packet must be relayed.
std::vector<channel::DtmfReport> send_audio(WorkerHarness& h, const std::vector<int16_t>& pcm) {
  std::vector<channel::DtmfReport> reports;
  unsigned packets = 0, relayed = 0;
  for (size_t at = 0; at + kPacketSamples <= pcm.size(); at += kPacketSamples, ++packets) {
    auto rtp = test::rtp_payload(static_cast<uint16_t>(packets), static_cast<uint32_t>(at), 0x77,
                                 12, 8);
    rtp.resize(12 + kPacketSamples);
    media::g711_encode(media::G711Law::alaw, std::span(pcm).subspan(at, kPacketSamples),
                       rtp.data() + 12);
    h.inject(0, test::frame_to(kPort, rtp));
    h.poll();
    relayed += static_cast<unsigned>(h.sent(1).size());
    for (const auto& e : h.events())
      if (test::type_of(e) == EventType::kDtmf) reports.push_back(e.dtmf);
  }
  EXPECT_EQ(relayed, packets);
  return reports;
}

TEST(WorkerDtmf, ReportsEachDigitStartAndEndInOrder) {
  WorkerHarness h;
  ASSERT_EQ(test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002),
                                            dtmf_detection())),
            EventType::kCommandOk);
  const std::string digits = "1#5D";
  const auto reports = send_audio(h, dtmf_signal(digits));
  ASSERT_EQ(reports.size(), 2 * digits.size());
  for (size_t i = 0; i < digits.size(); ++i) {
    const auto& start = reports[2 * i];
    const auto& end = reports[2 * i + 1];
    EXPECT_EQ(media::dtmf_event_to_char(start.event), digits[i]) << i;
    EXPECT_EQ(start.end, 0) << i;
    EXPECT_EQ(end.event, start.event) << i;
    EXPECT_EQ(end.end, 1) << i;
    // 100 ms tones: detection of start and end each lag by a packet or two.
    EXPECT_NEAR(static_cast<double>(end.duration), 800.0, 320.0) << i;
    EXPECT_EQ(end.duration, end.timestamp - start.timestamp) << i;
    // The digit sits in its own 200 ms slot of the stream.
    EXPECT_GE(start.timestamp, i * 1600u) << i;
    EXPECT_LT(start.timestamp, i * 1600u + 800u) << i;
  }
}

TEST(WorkerDtmf, SpeechAloneReportsNoDigit) {
  WorkerHarness h;
  ASSERT_EQ(test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002),
                                            dtmf_detection())),
            EventType::kCommandOk);
  EXPECT_TRUE(send_audio(h, media::test::vowel(16000)).empty());
}

TEST(WorkerDtmf, DetectsOnTheInputOfATranscodedFlow) {
  WorkerHarness h;
  auto t = dtmf_detection();
  t.stages |= channel::kTreatTranscode;
  t.transcode = {static_cast<uint8_t>(channel::Codec::kPcma),
                 static_cast<uint8_t>(channel::Codec::kG729), 8, 18, 20, 0, 1, 2, 3, 0, {}};
  ASSERT_EQ(test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002),
                                            t)),
            EventType::kCommandOk);
  const auto reports = send_audio(h, dtmf_signal("*0"));
  ASSERT_EQ(reports.size(), 4u);
  EXPECT_EQ(media::dtmf_event_to_char(reports[0].event), '*');
  EXPECT_EQ(media::dtmf_event_to_char(reports[2].event), '0');
}

}  // namespace
