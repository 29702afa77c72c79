// Repacketization between ptimes for G.711 and G.729 with exact timestamps, and the output
// sequencer of an originated leg.
#include <gtest/gtest.h>

#include <vector>

#include "media/repack/frame_repacketizer.h"
#include "media/repack/rtp_sequencer.h"

namespace trunkgate::media {
namespace {

// Payload whose byte i carries (sample or frame index) so order and content are checkable.
std::vector<uint8_t> numbered(std::size_t first, std::size_t length) {
  std::vector<uint8_t> p(length);
  for (std::size_t i = 0; i < length; ++i) p[i] = static_cast<uint8_t>(first + i);
  return p;
}

struct Collected {
  std::vector<uint8_t> bytes;
  std::vector<RepackedPacket> packets;
};

void drain(FrameRepacketizer& r, Collected& c) {
  uint8_t out[FrameRepacketizer::kCapacity];
  RepackedPacket p;
  while (r.pop(out, sizeof out, p)) {
    c.packets.push_back(p);
    c.bytes.insert(c.bytes.end(), out, out + p.length);
  }
}

class G711Ptimes : public ::testing::TestWithParam<std::tuple<unsigned, unsigned>> {};

TEST_P(G711Ptimes, EveryByteComesOutOnceInOrderWithExactTimestamps) {
  const auto [in_ms, out_ms] = GetParam();
  FrameRepacketizer r;
  ASSERT_TRUE(r.configure(kG711Repack, out_ms));
  const std::size_t in_bytes = in_ms * 8;
  const std::size_t total = 120 * 8;  // 120 ms: a multiple of every ptime pair
  Collected c;
  for (std::size_t at = 0; at < total; at += in_bytes) {
    ASSERT_EQ(r.push(numbered(at, in_bytes), static_cast<uint32_t>(1000 + at)), RepackError::ok);
    drain(r, c);
  }
  EXPECT_EQ(c.bytes, numbered(0, total));
  ASSERT_EQ(c.packets.size(), total / (out_ms * 8));
  for (std::size_t i = 0; i < c.packets.size(); ++i) {
    EXPECT_EQ(c.packets[i].length, out_ms * 8);
    EXPECT_EQ(c.packets[i].timestamp, 1000 + i * out_ms * 8);
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, G711Ptimes,
                         ::testing::Combine(::testing::Values(10u, 20u, 30u, 40u),
                                            ::testing::Values(10u, 20u, 30u, 40u)));

TEST(Repack, G729SidEndsTheOutputPacket) {
  FrameRepacketizer r;
  ASSERT_TRUE(r.configure(kG729Repack, 40));
  Collected c;
  ASSERT_EQ(r.push(numbered(0, 20), 0), RepackError::ok);
  drain(r, c);
  EXPECT_TRUE(c.packets.empty());  // 20 of 40 ms
  ASSERT_EQ(r.push(numbered(20, 12), 160), RepackError::ok);  // one frame + SID
  drain(r, c);
  ASSERT_EQ(c.packets.size(), 1u);
  EXPECT_EQ(c.packets[0].length, 32u);
  EXPECT_TRUE(c.packets[0].ends_with_sid);
  EXPECT_EQ(c.bytes, numbered(0, 32));
  // After a SID the next talkspurt starts fresh at any timestamp.
  ASSERT_EQ(r.push(numbered(0, 20), 4000), RepackError::ok);
}

TEST(Repack, GapRequiresFlushAndKeepsTimestampsExact) {
  FrameRepacketizer r;
  ASSERT_TRUE(r.configure(kG711Repack, 30));
  ASSERT_EQ(r.push(numbered(0, 160), 0), RepackError::ok);
  EXPECT_EQ(r.push(numbered(0, 160), 320), RepackError::discontinuity);  // 160..319 lost
  uint8_t out[FrameRepacketizer::kCapacity];
  RepackedPacket p;
  ASSERT_TRUE(r.flush(out, sizeof out, p));
  EXPECT_EQ(p.length, 160u);
  EXPECT_EQ(p.timestamp, 0u);
  EXPECT_FALSE(r.flush(out, sizeof out, p));
  ASSERT_EQ(r.push(numbered(0, 160), 320), RepackError::ok);
  ASSERT_EQ(r.push(numbered(0, 160), 480), RepackError::ok);
  ASSERT_TRUE(r.pop(out, sizeof out, p));
  EXPECT_EQ(p.timestamp, 320u);
  EXPECT_EQ(p.length, 240u);
}

TEST(Repack, TimestampWrapIsContinuous) {
  FrameRepacketizer r;
  ASSERT_TRUE(r.configure(kG711Repack, 40));
  ASSERT_EQ(r.push(numbered(0, 160), 0xffffff60u), RepackError::ok);
  EXPECT_EQ(r.push(numbered(0, 160), 0), RepackError::ok);  // 0xffffff60 + 160 wraps to 0
}

TEST(Repack, RejectsBadInput) {
  FrameRepacketizer r;
  EXPECT_EQ(r.push(numbered(0, 160), 0), RepackError::not_configured);
  EXPECT_FALSE(r.configure(kG711Repack, 25));
  EXPECT_FALSE(r.configure(kG711Repack, 50));
  ASSERT_TRUE(r.configure(kG711Repack, 40));
  EXPECT_EQ(r.push(numbered(0, 161), 0), RepackError::bad_length);
  ASSERT_TRUE(r.configure(kG729Repack, 20));
  EXPECT_EQ(r.push(numbered(0, 13), 0), RepackError::bad_length);
  ASSERT_TRUE(r.configure(kG711Repack, 40));
  for (int i = 0; i < 2; ++i) ASSERT_EQ(r.push(numbered(0, 320), i * 320u), RepackError::ok);
  EXPECT_EQ(r.push(numbered(0, 320), 640), RepackError::overflow);  // caller never popped
  uint8_t small[100];
  RepackedPacket p;
  EXPECT_FALSE(r.pop(small, sizeof small, p));  // output buffer too small: nothing lost
  EXPECT_EQ(r.buffered_units(), 8u);
}

TEST(RtpSequencer, CountsPacketsAndShiftsTimestamps) {
  RtpSequencer s;
  s.reset(65535, 0x10000000);
  const RtpOutputHeader a = s.next(160, false);
  const RtpOutputHeader b = s.next(320, false);
  const RtpOutputHeader c = s.next(4000, true);  // after DTX
  EXPECT_EQ(a.sequence, 65535);
  EXPECT_TRUE(a.marker);  // first packet of the stream
  EXPECT_EQ(b.sequence, 0);
  EXPECT_FALSE(b.marker);
  EXPECT_EQ(c.sequence, 1);
  EXPECT_TRUE(c.marker);
  EXPECT_EQ(b.timestamp - a.timestamp, 160u);
  EXPECT_EQ(c.timestamp, 0x10000000u + 4000);
}

}  // namespace
}  // namespace trunkgate::media
