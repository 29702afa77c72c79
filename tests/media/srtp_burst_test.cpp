// Burst SRTP: two flows interleaved in one burst, bit-exact with libsrtp2, across a rollover;
// per-item verdicts for a duplicate inside the burst and a tampered packet.
#include <gtest/gtest.h>

#include <vector>

#include "media/srtp/srtp_stream.h"
#include "tests/media/libsrtp_peer.h"
#include "tests/media/rtp_samples.h"

namespace trunkgate::media {
namespace {

SrtpPolicy policy(uint8_t seed, SrtpSuite suite) {
  SrtpPolicy p;
  p.suite = suite;
  for (std::size_t i = 0; i < kSrtpMasterKeyLength; ++i) p.master_key[i] = static_cast<uint8_t>(seed + i);
  for (std::size_t i = 0; i < kSrtpMasterSaltLength; ++i) p.master_salt[i] = static_cast<uint8_t>(seed * 3 + i);
  p.mki = seed;
  p.mki_length = 1;
  return p;
}

TEST(SrtpBurst, TwoInterleavedFlowsAreBitExactWithLibsrtpAcrossRollover) {
  AesHmacEngine engine;
  const SrtpPolicy policies[2] = {policy(1, SrtpSuite::aes_cm_128_hmac_sha1_80),
                                  policy(2, SrtpSuite::aes_cm_128_hmac_sha1_32)};
  SrtpStream ours[2];
  for (int f = 0; f < 2; ++f) ASSERT_TRUE(srtp_stream_init(engine, policies[f], ours[f]));
  test::LibsrtpPeer reference0(policies[0], false), reference1(policies[1], false);
  test::LibsrtpPeer* reference[2] = {&reference0, &reference1};
  constexpr int kPackets = 80;  // 2.5 bursts of 32
  std::vector<std::vector<uint8_t>> plain, mine(kPackets);
  std::vector<SrtpBurstItem> items(kPackets);
  for (int i = 0; i < kPackets; ++i) {
    const int flow = i % 2;
    plain.push_back(test::make_rtp(static_cast<uint16_t>(65510 + i / 2), 0xa000u + flow, 160, 0));
    mine[i] = plain[i];
    mine[i].resize(plain[i].size() + kSrtpMaxTrailer);
    items[i] = {&ours[flow], mine[i].data(), plain[i].size(), mine[i].size(), 0, SrtpStatus::ok};
  }
  srtp_protect_burst(engine, items);
  for (int i = 0; i < kPackets; ++i) {
    ASSERT_EQ(items[i].status, SrtpStatus::ok) << i;
    mine[i].resize(items[i].out_length);
    auto theirs = plain[i];
    ASSERT_EQ(reference[i % 2]->protect(theirs), srtp_err_status_ok);
    EXPECT_EQ(mine[i], theirs) << i;
  }
  EXPECT_EQ(ours[0].rollover.roc, 1u);
}

TEST(SrtpBurst, UnprotectVerdictsPerItem) {
  AesHmacEngine engine;
  const SrtpPolicy p = policy(7, SrtpSuite::aes_cm_128_hmac_sha1_80);
  SrtpStream rx;
  ASSERT_TRUE(srtp_stream_init(engine, p, rx));
  test::LibsrtpPeer sender(p, false);
  std::vector<std::vector<uint8_t>> packets;
  for (uint16_t s = 0; s < 10; ++s) {
    auto packet = test::make_rtp(static_cast<uint16_t>(65530 + s), 0xbeef, 160, 0);
    ASSERT_EQ(sender.protect(packet), srtp_err_status_ok);
    packets.push_back(packet);
  }
  packets.push_back(packets[3]);   // duplicate inside the same burst
  packets[5][40] ^= 0x10;          // tampered payload
  std::vector<SrtpBurstItem> items;
  for (auto& packet : packets) items.push_back({&rx, packet.data(), packet.size(), 0, 0, SrtpStatus::ok});
  srtp_unprotect_burst(engine, items);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const SrtpStatus expected = i == 5    ? SrtpStatus::auth_failed
                                : i == 10 ? SrtpStatus::replayed
                                          : SrtpStatus::ok;
    EXPECT_EQ(items[i].status, expected) << i;
  }
  EXPECT_EQ(items[0].out_length, 172u);
  EXPECT_EQ(rx.rollover.roc, 1u);
}

}  // namespace
}  // namespace trunkgate::media
