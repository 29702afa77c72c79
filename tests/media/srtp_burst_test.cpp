// Burst SRTP: two flows interleaved in one burst, bit-exact with libsrtp2, across a rollover;
// per-item verdicts for a duplicate inside the burst and a tampered packet; a burst unprotect
// gives the verdicts, plaintexts and stream state of one srtp_unprotect per packet, also when
// packets of one stream depend on each other (index jumps, SSRC changes, replays, tampering).
#include <gtest/gtest.h>

#include <algorithm>
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

// What a stream's state decides for the packets after it: compared between the burst and the
// one-by-one receiver.
void expect_same_state(const SrtpStream& a, const SrtpStream& b, const char* where) {
  EXPECT_EQ(a.ssrc_bound, b.ssrc_bound) << where;
  EXPECT_EQ(a.ssrc, b.ssrc) << where;
  EXPECT_EQ(a.rollover.started, b.rollover.started) << where;
  EXPECT_EQ(a.rollover.roc, b.rollover.roc) << where;
  EXPECT_EQ(a.rollover.highest_seq, b.rollover.highest_seq) << where;
  EXPECT_EQ(a.rtp_packets, b.rtp_packets) << where;
  const uint64_t top = (uint64_t{a.rollover.roc} << 16) | a.rollover.highest_seq;
  for (uint64_t index = top > 200 ? top - 200 : 0; index <= top + 2; ++index)
    EXPECT_EQ(a.rtp_replay.check(index), b.rtp_replay.check(index)) << where << " index " << index;
}

struct Sent {
  std::size_t flow;
  std::vector<uint8_t> plain;
  std::vector<uint8_t> wire;
};

// Three flows (one per suite), protected by libsrtp2 senders; bursts of their packets go to
// srtp_unprotect_burst on one set of receivers and one packet at a time through srtp_unprotect
// on another: same verdict, same plaintext, same state after every burst.
class BurstVersusOneByOne : public ::testing::Test {
 protected:
  static constexpr std::size_t kFlows = 3;
  BurstVersusOneByOne()
      : policies_{policy(11, SrtpSuite::aes_cm_128_hmac_sha1_80),
                  policy(12, SrtpSuite::aes_cm_128_hmac_sha1_32),
                  policy(13, SrtpSuite::aead_aes_128_gcm)},
        s0_(policies_[0], false),
        s1_(policies_[1], false),
        s2_(policies_[2], false) {
    for (std::size_t f = 0; f < kFlows; ++f) {
      EXPECT_TRUE(srtp_stream_init(engine_, policies_[f], burst_rx_[f]));
      EXPECT_TRUE(srtp_stream_init(engine_, policies_[f], single_rx_[f]));
    }
  }

  Sent send(std::size_t flow, uint16_t seq, uint32_t ssrc) {
    Sent p{flow, test::make_rtp(seq, ssrc, 160, 0), {}};
    p.wire = p.plain;
    test::LibsrtpPeer* senders[kFlows] = {&s0_, &s1_, &s2_};
    EXPECT_EQ(senders[flow]->protect(p.wire), srtp_err_status_ok);
    return p;
  }

  // Returns the verdicts; checks they, the plaintexts and the states agree.
  std::vector<SrtpStatus> deliver(const std::vector<Sent>& burst) {
    std::vector<std::vector<uint8_t>> a, b;
    std::vector<SrtpBurstItem> items;
    for (const Sent& p : burst) {
      a.push_back(p.wire);
      b.push_back(p.wire);
    }
    for (std::size_t i = 0; i < burst.size(); ++i)
      items.push_back({&burst_rx_[burst[i].flow], a[i].data(), a[i].size(), 0, 0, SrtpStatus::ok});
    srtp_unprotect_burst(engine_, items);
    std::vector<SrtpStatus> verdicts;
    for (std::size_t i = 0; i < burst.size(); ++i) {
      std::size_t out = 0;
      const SrtpStatus one =
          srtp_unprotect(engine_, single_rx_[burst[i].flow], b[i].data(), b[i].size(), out);
      EXPECT_EQ(items[i].status, one) << "packet " << i;
      if (one == SrtpStatus::ok && items[i].status == SrtpStatus::ok) {
        a[i].resize(items[i].out_length);
        EXPECT_EQ(a[i], burst[i].plain) << "packet " << i;
      }
      verdicts.push_back(items[i].status);
    }
    for (std::size_t f = 0; f < kFlows; ++f)
      expect_same_state(burst_rx_[f], single_rx_[f], "after burst");
    return verdicts;
  }

  AesHmacEngine engine_;
  SrtpPolicy policies_[kFlows];
  test::LibsrtpPeer s0_, s1_, s2_;
  SrtpStream burst_rx_[kFlows];
  SrtpStream single_rx_[kFlows];
};

TEST_F(BurstVersusOneByOne, IndexJumpWithinABurstUsesTheStateTheEarlierPacketLeaves) {
  ASSERT_EQ(deliver({send(0, 1000, 0xa1)}), std::vector<SrtpStatus>{SrtpStatus::ok});
  // 40000 is within 2^15 of 30000 but not of 1000: its index is right only once 30000 counted.
  const std::vector<SrtpStatus> v =
      deliver({send(0, 30000, 0xa1), send(1, 7, 0xb1), send(0, 40000, 0xa1), send(2, 9, 0xc1)});
  EXPECT_EQ(v, std::vector<SrtpStatus>(4, SrtpStatus::ok));
}

TEST_F(BurstVersusOneByOne, SsrcChangesInsideABurstKeepPacketOrder) {
  ASSERT_EQ(deliver({send(0, 100, 0xa1)}), std::vector<SrtpStatus>{SrtpStatus::ok});
  const Sent x101 = send(0, 101, 0xa1);
  const std::vector<SrtpStatus> v = deliver({x101, send(0, 5, 0xa2), send(0, 102, 0xa1)});
  EXPECT_EQ(v, std::vector<SrtpStatus>(3, SrtpStatus::ok));
  // The stream last bound 0xa1 afresh at 102: 101 is new to it again, exactly as one by one.
  deliver({x101});
  EXPECT_EQ(burst_rx_[0].ssrc, 0xa1u);
}

TEST_F(BurstVersusOneByOne, TamperedReplayedAndLatePacketsAmongGoodOnes) {
  std::vector<Sent> first;
  for (uint16_t s = 65500; s != 65530; ++s) first.push_back(send(s % kFlows, s, 0xd0 + s % kFlows));
  deliver(first);
  std::vector<Sent> burst;
  for (uint16_t s = 65530; s != 10; ++s) burst.push_back(send(s % kFlows, s, 0xd0 + s % kFlows));
  burst[3].wire[30] ^= 1;                     // tampered, between good packets of its flow
  burst.insert(burst.begin() + 5, burst[0]);  // replay inside the burst
  burst.insert(burst.begin() + 9, first[2]);  // replay of the burst before
  Sent tampered_replay = burst[1];
  tampered_replay.wire[40] ^= 1;  // a replay that is also forged: counted as a replay
  burst.push_back(tampered_replay);
  const std::vector<SrtpStatus> v = deliver(burst);
  EXPECT_EQ(std::count(v.begin(), v.end(), SrtpStatus::ok), 15);  // 16 sent, 1 forged
  EXPECT_EQ(v[3], SrtpStatus::auth_failed);
  EXPECT_EQ(v[5], SrtpStatus::replayed);
  EXPECT_EQ(v[9], SrtpStatus::replayed);
  EXPECT_EQ(v.back(), SrtpStatus::replayed);
  // Later packets of the tampered packet's flow were accepted across the rollover.
  EXPECT_EQ(burst_rx_[65533 % kFlows].rollover.roc, 1u);
}

}  // namespace
}  // namespace trunkgate::media
