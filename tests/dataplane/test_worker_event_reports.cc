// RFC 4733 reports from flows without a treatment (kFlowReportEvents, schema v5): a plain relay
// whose two legs use the same telephone-event number still tells the control plane each digit's
// start and end, and relays every packet byte for byte.
#include <gtest/gtest.h>

#include "tests/dataplane/treatment_helpers.h"

using namespace trunkgate;
using channel::EventType;
using test::WorkerHarness;

namespace {

constexpr uint16_t kPort = 20000;
constexpr uint8_t kEventPt = 101;

channel::FlowSpec reporting_relay(const WorkerHarness& h) {
  channel::FlowSpec s = h.relay_spec(kPort, "198.51.100.10:30000", 20002);
  s.flags |= channel::kFlowReportEvents;
  s.event_pt = kEventPt;
  return s;
}

// One RFC 4733 block for `digit` (volume 10) of `duration` samples, as packet `seq` of an event
// that began at `ts`.
std::vector<uint8_t> event_packet(uint8_t digit, bool end, uint16_t duration, uint16_t seq,
                                  uint32_t ts, bool marker = false) {
  const std::vector<uint8_t> block = {digit, static_cast<uint8_t>((end ? 0x80 : 0) | 10),
                                      static_cast<uint8_t>(duration >> 8),
                                      static_cast<uint8_t>(duration & 0xff)};
  return test::rtp_with(kEventPt, seq, ts, block, marker);
}

// Sends `packets`, checks each is relayed unchanged, returns the DTMF reports.
std::vector<channel::DtmfReport> relay_all(WorkerHarness& h,
                                           const std::vector<std::vector<uint8_t>>& packets) {
  test::StepOutput out;
  test::step(h, kPort, packets, 20, out);
  EXPECT_EQ(out.sent, packets);
  return out.dtmf;
}

TEST(WorkerEventReports, PlainRelayReportsEachDigitsStartAndEndOnce) {
  WorkerHarness h;
  ASSERT_EQ(test::type_of(test::add_treated(h, reporting_relay(h), {})), EventType::kCommandOk);
  const std::vector<std::vector<uint8_t>> digit_7 = {
      event_packet(7, false, 160, 10, 8000, true), event_packet(7, false, 320, 11, 8000),
      event_packet(7, true, 480, 12, 8000),  // the end, sent three times (RFC 4733 2.5.1.4)
      event_packet(7, true, 480, 13, 8000), event_packet(7, true, 480, 14, 8000)};
  const auto reports = relay_all(h, digit_7);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].event, 7);
  EXPECT_EQ(reports[0].end, 0);
  EXPECT_EQ(reports[1].event, 7);
  EXPECT_EQ(reports[1].end, 1);
  EXPECT_EQ(reports[1].duration, 480u);
  for (const auto& r : reports) {
    EXPECT_EQ(r.origin, static_cast<uint8_t>(channel::DtmfOrigin::kTelephoneEvent));
    EXPECT_EQ(r.timestamp, 8000u);
  }
  // Audio and another digit: only the digit is reported.
  const auto audio = test::rtp_payload(15, 8480, 0xabcd, 172, 0);
  const auto next = relay_all(h, {audio, event_packet(11, true, 800, 16, 9000, true)});
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].event, 11);
  EXPECT_EQ(next[0].end, 0);
  EXPECT_EQ(next[1].event, 11);
  EXPECT_EQ(next[1].end, 1);
  EXPECT_EQ(h.stats().drops[channel::kDropMalformed], 0u);
}

TEST(WorkerEventReports, MalformedOrNonDtmfEventsAreRelayedUnreported) {
  WorkerHarness h;
  ASSERT_EQ(test::type_of(test::add_treated(h, reporting_relay(h), {})), EventType::kCommandOk);
  const auto three_bytes = test::rtp_with(kEventPt, 1, 160, {5, 0x8a, 0x01});
  const auto not_dtmf = test::rtp_with(kEventPt, 2, 320, {40, 0x8a, 0x01, 0x40});  // event 40
  EXPECT_TRUE(relay_all(h, {three_bytes, not_dtmf}).empty());
}

TEST(WorkerEventReports, WithoutTheFlagAPlainRelayReportsNothing) {
  WorkerHarness h;
  ASSERT_EQ(
      test::type_of(test::add_treated(h, h.relay_spec(kPort, "198.51.100.10:30000", 20002), {})),
      EventType::kCommandOk);
  EXPECT_TRUE(relay_all(h, {event_packet(3, true, 400, 1, 160, true)}).empty());
}

TEST(WorkerEventReports, RefusedOnRtcpFlowsAndForPayloadTypesAbove127) {
  WorkerHarness h;
  channel::FlowSpec rtcp = reporting_relay(h);
  rtcp.flags |= channel::kFlowRtcp;
  const auto refused = test::add_treated(h, rtcp, {});
  EXPECT_EQ(test::type_of(refused), EventType::kCommandError);
  EXPECT_EQ(refused.error, static_cast<int16_t>(channel::CommandError::kBadFlags));
  channel::FlowSpec bad_pt = reporting_relay(h);
  bad_pt.event_pt = 128;
  EXPECT_EQ(test::add_treated(h, bad_pt, {}).error,
            static_cast<int16_t>(channel::CommandError::kBadFlags));
}

}  // namespace
