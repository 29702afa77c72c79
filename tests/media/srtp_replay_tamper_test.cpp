// Rejection paths of SRTP/SRTCP: replay, window age, tampering, wrong key, wrong MKI, truncation,
// key lifetime, and ROC handling when packets arrive reordered across the wrap.
#include <gtest/gtest.h>

#include <vector>

#include "media/srtp/srtp_stream.h"
#include "tests/media/rtp_samples.h"

namespace trunkgate::media {
namespace {

using test::make_rtcp;
using test::make_rtp;

class SrtpReject : public ::testing::Test {
 protected:
  SrtpPolicy policy(uint8_t key_byte = 1) const {
    SrtpPolicy p;
    for (auto& b : p.master_key) b = key_byte;
    for (auto& b : p.master_salt) b = 2;
    p.mki = 9;
    p.mki_length = 1;
    return p;
  }
  void SetUp() override {
    ASSERT_TRUE(srtp_stream_init(engine_, policy(), tx_));
    ASSERT_TRUE(srtp_stream_init(engine_, policy(), rx_));
  }
  std::vector<uint8_t> protected_rtp(uint16_t seq) {
    auto p = make_rtp(seq, 0x5555, 160, 0);
    const std::size_t length = p.size();
    p.resize(length + kSrtpMaxTrailer);
    std::size_t out = 0;
    EXPECT_EQ(srtp_protect(engine_, tx_, p.data(), length, p.size(), out), SrtpStatus::ok);
    p.resize(out);
    return p;
  }
  std::vector<uint8_t> protected_rtcp() {
    auto p = make_rtcp(0x5555, 1);
    const std::size_t length = p.size();
    p.resize(length + kSrtpMaxTrailer + 4);
    std::size_t out = 0;
    EXPECT_EQ(srtcp_protect(engine_, tx_, p.data(), length, p.size(), out), SrtpStatus::ok);
    p.resize(out);
    return p;
  }
  SrtpStatus receive(std::vector<uint8_t> p) {
    std::size_t out = 0;
    return srtp_unprotect(engine_, rx_, p.data(), p.size(), out);
  }
  SrtpStatus receive_rtcp(std::vector<uint8_t> p) {
    std::size_t out = 0;
    return srtcp_unprotect(engine_, rx_, p.data(), p.size(), out);
  }

  AesHmacEngine engine_;
  SrtpStream tx_;
  SrtpStream rx_;
};

TEST_F(SrtpReject, ReplayedPacketIsRejected) {
  const auto p = protected_rtp(1000);
  EXPECT_EQ(receive(p), SrtpStatus::ok);
  EXPECT_EQ(receive(p), SrtpStatus::replayed);
}

TEST_F(SrtpReject, PacketOlderThanTheWindowIsRejectedAndInsideIsAccepted) {
  const auto too_old = protected_rtp(1001);
  const auto oldest_in_window = protected_rtp(1002);
  for (uint16_t s = 1003; s < 1129; ++s) protected_rtp(s);
  const auto newest = protected_rtp(1129);
  ASSERT_EQ(receive(newest), SrtpStatus::ok);
  EXPECT_EQ(receive(oldest_in_window), SrtpStatus::ok);  // age 127: last slot of 128
  EXPECT_EQ(receive(too_old), SrtpStatus::too_old);       // age 128
}

TEST_F(SrtpReject, Window64IsHonoured) {
  SrtpPolicy p = policy();
  p.replay_window = 64;
  ASSERT_TRUE(srtp_stream_init(engine_, p, rx_));
  const auto old = protected_rtp(100);
  for (uint16_t s = 101; s < 164; ++s) protected_rtp(s);
  const auto newest = protected_rtp(164);
  ASSERT_EQ(receive(newest), SrtpStatus::ok);
  EXPECT_EQ(receive(old), SrtpStatus::too_old);
}

TEST_F(SrtpReject, EveryTamperedByteFailsAuthenticationAndDoesNotAdvanceState) {
  const auto good = protected_rtp(7);
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= 0x01;
    const SrtpStatus status = receive(bad);
    if (i == good.size() - 11) {
      EXPECT_EQ(status, SrtpStatus::mki_mismatch) << i;
    } else {
      EXPECT_EQ(status, SrtpStatus::auth_failed) << i;
    }
  }
  EXPECT_EQ(receive(good), SrtpStatus::ok);  // nothing above moved the replay window
}

TEST_F(SrtpReject, AeadGcmTamperedBytesFailAndMkiFollowsTheTag) {
  SrtpPolicy p = policy();
  p.suite = SrtpSuite::aead_aes_128_gcm;
  ASSERT_TRUE(srtp_stream_init(engine_, p, tx_));
  ASSERT_TRUE(srtp_stream_init(engine_, p, rx_));
  const auto good = protected_rtp(7);
  ASSERT_EQ(good.size(), 12u + 160 + 16 + 1);
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= 0x01;
    EXPECT_EQ(receive(bad), i == good.size() - 1 ? SrtpStatus::mki_mismatch : SrtpStatus::auth_failed)
        << i;
  }
  EXPECT_EQ(receive(good), SrtpStatus::ok);
  EXPECT_EQ(receive(good), SrtpStatus::replayed);
  const auto rtcp = protected_rtcp();
  auto bad_rtcp = rtcp;
  bad_rtcp[3] ^= 0x01;  // header is additional authenticated data under AEAD
  EXPECT_EQ(receive_rtcp(bad_rtcp), SrtpStatus::auth_failed);
  EXPECT_EQ(receive_rtcp(rtcp), SrtpStatus::ok);
}

TEST_F(SrtpReject, WrongKeyFailsAuthentication) {
  SrtpStream other;
  ASSERT_TRUE(srtp_stream_init(engine_, policy(3), other));
  auto p = protected_rtp(5);
  std::size_t out = 0;
  EXPECT_EQ(srtp_unprotect(engine_, other, p.data(), p.size(), out), SrtpStatus::auth_failed);
}

TEST_F(SrtpReject, TruncatedPacketsAreRejectedAtEveryLength) {
  const auto good = protected_rtp(9);
  for (std::size_t n = 0; n < good.size(); ++n) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<long>(n));
    EXPECT_NE(receive(cut), SrtpStatus::ok) << n;
  }
}

TEST_F(SrtpReject, SrtcpReplayAndTamper) {
  const auto p = protected_rtcp();
  auto bad = p;
  bad[10] ^= 0x80;
  EXPECT_EQ(receive_rtcp(bad), SrtpStatus::auth_failed);
  auto bad_index = p;
  bad_index[p.size() - 15] ^= 0x01;  // low byte of E||index
  EXPECT_EQ(receive_rtcp(bad_index), SrtpStatus::auth_failed);
  EXPECT_EQ(receive_rtcp(p), SrtpStatus::ok);
  EXPECT_EQ(receive_rtcp(p), SrtpStatus::replayed);
  for (std::size_t n = 0; n < p.size(); ++n)
    EXPECT_NE(receive_rtcp(std::vector<uint8_t>(p.begin(), p.begin() + static_cast<long>(n))),
              SrtpStatus::ok);
}

TEST_F(SrtpReject, KeyLifetimeIsEnforced) {
  SrtpPolicy p = policy();
  p.lifetime = 3;
  ASSERT_TRUE(srtp_stream_init(engine_, p, tx_));
  for (uint16_t s = 0; s < 3; ++s) protected_rtp(s);
  auto packet = make_rtp(3, 0x5555, 160, 0);
  const std::size_t length = packet.size();
  packet.resize(length + kSrtpMaxTrailer);
  std::size_t out = 0;
  EXPECT_EQ(srtp_protect(engine_, tx_, packet.data(), length, packet.size(), out),
            SrtpStatus::key_lifetime_exhausted);
}

TEST_F(SrtpReject, ProtectNeedsRoomForTrailer) {
  auto packet = make_rtp(3, 0x5555, 160, 0);
  std::size_t out = 0;
  EXPECT_EQ(srtp_protect(engine_, tx_, packet.data(), packet.size(), packet.size() + 10, out),
            SrtpStatus::buffer_too_small);  // needs 1 (MKI) + 10 (tag)
}

TEST_F(SrtpReject, ReorderedAcrossRolloverStillDecrypts) {
  const auto a = protected_rtp(65534);
  const auto b = protected_rtp(65535);
  const auto c = protected_rtp(0);
  const auto d = protected_rtp(1);
  EXPECT_EQ(receive(a), SrtpStatus::ok);
  EXPECT_EQ(receive(c), SrtpStatus::ok);  // ahead: ROC guessed 1
  EXPECT_EQ(receive(b), SrtpStatus::ok);  // behind: ROC guessed 0
  EXPECT_EQ(receive(d), SrtpStatus::ok);
  EXPECT_EQ(rx_.rollover.roc, 1u);
  EXPECT_EQ(rx_.rollover.highest_seq, 1);
  EXPECT_EQ(receive(b), SrtpStatus::replayed);
}

TEST(ReplayWindow, TracksBitsAcrossLargeJumps) {
  ReplayWindow w;
  w.reset(128);
  EXPECT_EQ(w.check(5), ReplayVerdict::fresh);
  w.accept(5);
  w.accept(300);
  EXPECT_EQ(w.check(5), ReplayVerdict::too_old);
  EXPECT_EQ(w.check(173), ReplayVerdict::fresh);
  EXPECT_EQ(w.check(172), ReplayVerdict::too_old);
  w.accept(250);
  EXPECT_EQ(w.check(250), ReplayVerdict::replayed);
  EXPECT_EQ(w.check(251), ReplayVerdict::fresh);
  EXPECT_EQ(w.check(300), ReplayVerdict::replayed);
}

}  // namespace
}  // namespace trunkgate::media
