// Payload-type mapping on relayed flows: the audio type and the RFC 4733 telephone-event type are
// rewritten, everything else passes untouched, and the UDP checksum stays right.
#include <gtest/gtest.h>

#include "tests/dataplane/treatment_helpers.h"
#include "tests/media/libsrtp_peer.h"

using namespace trunkgate;
using channel::EventType;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;

channel::MediaTreatment pt_map(uint8_t audio_in, uint8_t audio_out, uint8_t event_in,
                               uint8_t event_out) {
  channel::MediaTreatment t{};
  t.stages = channel::kTreatPayloadMap | channel::kTreatEventMap;
  t.pt_map = {audio_in, audio_out, event_in, event_out};
  return t;
}

// An RFC 4733 end-of-event packet for digit 5, marker set as on the first packet of an event.
std::vector<uint8_t> telephone_event(uint8_t pt) {
  auto p = test::rtp_payload(9, 1600, 0x5555, 16, pt);
  p[1] |= 0x80;
  const uint8_t event[4] = {5, 0x80 | 10, 0x03, 0x20};
  std::copy(event, event + 4, p.begin() + 12);
  return p;
}

TEST(WorkerPayloadMap, RemapsAudioAndTelephoneEventKeepingTheRest) {
  WorkerHarness h;
  ASSERT_EQ(test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002),
                                            pt_map(0, 8, 101, 96))),
            EventType::kCommandOk);
  auto audio = test::rtp_payload(1, 160, 0x1234, 172, 0);
  auto expected = audio;
  expected[1] = 8;
  EXPECT_EQ(test::relay_one(h, kPort, audio), expected);

  const auto event = telephone_event(101);
  expected = event;
  expected[1] = 0x80 | 96;  // the marker bit survives
  EXPECT_EQ(test::relay_one(h, kPort, event), expected);

  const auto cn = test::rtp_payload(2, 320, 0x1234, 13, 13);  // not mapped: passes as is
  EXPECT_EQ(test::relay_one(h, kPort, cn), cn);
}

TEST(WorkerPayloadMap, ChecksumRightWhenTheSenderSentNone) {
  WorkerHarness h;
  ASSERT_EQ(test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002),
                                            pt_map(0, 8, 101, 96))),
            EventType::kCommandOk);
  test::FrameSpec s;
  s.dst_port = kPort;
  s.udp_checksum = false;
  s.payload = telephone_event(101);
  h.inject(0, test::build_frame(s));
  h.poll();
  const auto sent = h.sent(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(test::checksums_valid(sent[0], 14));
  EXPECT_EQ(sent[0][42 + 1], 0x80 | 96);
}

TEST(WorkerPayloadMap, MappedBeforeSrtpProtection) {
  WorkerHarness h;
  auto t = pt_map(0, 8, 101, 96);
  t.stages |= channel::kTreatSrtpOut;
  t.srtp_out = test::srtp_params(31);
  ASSERT_EQ(test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002),
                                            t)),
            EventType::kCommandOk);
  media::test::LibsrtpPeer carrier(test::policy_of(t.srtp_out), true);
  auto got = test::relay_one(h, kPort, telephone_event(101));
  ASSERT_EQ(carrier.unprotect(got), srtp_err_status_ok);
  auto expected = telephone_event(101);
  expected[1] = 0x80 | 96;
  EXPECT_EQ(got, expected);
}

}  // namespace
