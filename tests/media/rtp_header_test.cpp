#include "media/rtp/rtcp_header.h"
#include "media/rtp/rtp_header.h"

#include <gtest/gtest.h>

#include <vector>

namespace trunkgate::media {
namespace {

std::vector<uint8_t> rtp_packet(uint8_t first_byte, std::size_t extra) {
  std::vector<uint8_t> p = {first_byte, 0x80 | 18, 0x12, 0x34, 0, 0, 0x01, 0x40, 0xde, 0xad, 0xbe, 0xef};
  p.resize(p.size() + extra, 0xaa);
  return p;
}

TEST(RtpHeader, ParsesFixedHeaderFields) {
  const auto p = rtp_packet(0x80, 20);
  RtpHeader h;
  ASSERT_EQ(parse_rtp(p, h), RtpError::ok);
  EXPECT_EQ(h.payload_type, 18);
  EXPECT_TRUE(h.marker);
  EXPECT_EQ(h.sequence, 0x1234);
  EXPECT_EQ(h.timestamp, 0x140u);
  EXPECT_EQ(h.ssrc, 0xdeadbeefu);
  EXPECT_EQ(h.header_length, 12);
  EXPECT_EQ(h.payload_length, 20);
}

TEST(RtpHeader, RejectsShortAndWrongVersion) {
  RtpHeader h;
  auto p = rtp_packet(0x80, 0);
  EXPECT_EQ(parse_rtp(std::span(p).first(11), h), RtpError::too_short);
  p[0] = 0x40;
  EXPECT_EQ(parse_rtp(p, h), RtpError::bad_version);
}

TEST(RtpHeader, CsrcListMustFit) {
  RtpHeader h;
  auto p = rtp_packet(0x82, 7);  // two CSRCs need 8 bytes
  EXPECT_EQ(parse_rtp(p, h), RtpError::csrc_overrun);
  p.push_back(0);
  ASSERT_EQ(parse_rtp(p, h), RtpError::ok);
  EXPECT_EQ(h.csrc_count, 2);
  EXPECT_EQ(h.header_length, 20);
  EXPECT_EQ(h.payload_length, 0);
}

TEST(RtpHeader, ExtensionLengthMustFit) {
  RtpHeader h;
  auto p = rtp_packet(0x90, 4);
  p[12] = 0xbe;
  p[13] = 0xde;
  p[14] = 0;
  p[15] = 2;  // two words announced, none present
  EXPECT_EQ(parse_rtp(p, h), RtpError::extension_overrun);
  p.resize(p.size() + 8, 0);
  ASSERT_EQ(parse_rtp(p, h), RtpError::ok);
  EXPECT_EQ(h.extension_profile, 0xbede);
  EXPECT_EQ(h.header_length, 24);
  EXPECT_EQ(parse_rtp(std::span(p).first(13), h), RtpError::extension_overrun);
}

TEST(RtpHeader, PaddingIsValidatedOnlyByFullParse) {
  RtpHeader h;
  auto p = rtp_packet(0xa0, 4);
  p.back() = 4;
  ASSERT_EQ(parse_rtp(p, h), RtpError::ok);
  EXPECT_EQ(h.payload_length, 0);
  EXPECT_EQ(h.padding_length, 4);
  p.back() = 5;
  EXPECT_EQ(parse_rtp(p, h), RtpError::bad_padding);
  p.back() = 0;
  EXPECT_EQ(parse_rtp(p, h), RtpError::bad_padding);
  EXPECT_EQ(parse_rtp_header(p, h), RtpError::ok);  // SRTP: padding is still encrypted
}

TEST(RtpHeader, EveryTruncationOfAFullHeaderIsRejectedWithoutOverrun) {
  auto p = rtp_packet(0xb1, 4 + 8 + 3);  // one CSRC, extension of one word, 2 bytes + 1 pad
  p[16] = 0x10;
  p[17] = 0x00;
  p[18] = 0;
  p[19] = 1;
  p.back() = 1;
  RtpHeader h;
  ASSERT_EQ(parse_rtp(p, h), RtpError::ok);
  EXPECT_EQ(h.payload_length, 2);
  for (std::size_t n = 0; n < 24; ++n) {
    std::vector<uint8_t> cut(p.begin(), p.begin() + static_cast<long>(n));  // exact-size heap copy
    EXPECT_NE(parse_rtp(cut, h), RtpError::ok) << n;
  }
}

TEST(RtpHeader, WriteFixedHeaderRoundTrips) {
  auto p = rtp_packet(0x80, 0);
  write_rtp_fixed_header(p.data(), 101, false, 65535, 0xfffffff0u, 7);
  RtpHeader h;
  ASSERT_EQ(parse_rtp(p, h), RtpError::ok);
  EXPECT_EQ(h.payload_type, 101);
  EXPECT_FALSE(h.marker);
  EXPECT_EQ(h.sequence, 65535);
  EXPECT_EQ(h.timestamp, 0xfffffff0u);
  EXPECT_EQ(h.ssrc, 7u);
}

std::vector<uint8_t> rtcp_sr_rr() {
  std::vector<uint8_t> p(28 + 8, 0);
  p[0] = 0x80; p[1] = 200; p[2] = 0; p[3] = 6;   // SR without report blocks: 7 words
  p[4] = 1; p[5] = 2; p[6] = 3; p[7] = 4;
  p[28] = 0x80; p[29] = 202; p[30] = 0; p[31] = 1;  // empty SDES chunk area: 2 words
  return p;
}

TEST(RtcpCompound, AcceptsSrFollowedBySdes) {
  RtcpCompound c;
  ASSERT_EQ(parse_rtcp_compound(rtcp_sr_rr(), c), RtcpError::ok);
  EXPECT_EQ(c.first_type, 200);
  EXPECT_EQ(c.sender_ssrc, 0x01020304u);
  EXPECT_EQ(c.packet_count, 2);
}

TEST(RtcpCompound, RejectsBadFirstTypeLengthsAndPadding) {
  RtcpCompound c;
  auto p = rtcp_sr_rr();
  p[1] = 202;
  EXPECT_EQ(parse_rtcp_compound(p, c), RtcpError::bad_first_type);
  p = rtcp_sr_rr();
  p[31] = 2;  // runs past the end
  EXPECT_EQ(parse_rtcp_compound(p, c), RtcpError::bad_length);
  p = rtcp_sr_rr();
  p[0] |= 0x20;  // padding on the first of two
  EXPECT_EQ(parse_rtcp_compound(p, c), RtcpError::padding_not_last);
  p = rtcp_sr_rr();
  p.push_back(0x80);  // 1 trailing byte: cut sub-header
  EXPECT_EQ(parse_rtcp_compound(p, c), RtcpError::too_short);
  p = rtcp_sr_rr();
  p[28] = 0x40;
  EXPECT_EQ(parse_rtcp_compound(p, c), RtcpError::bad_version);
}

TEST(RtcpMux, SecondOctetRangeSelectsRtcp) {
  std::vector<uint8_t> p = {0x80, 0};
  for (int b = 0; b < 256; ++b) {
    p[1] = static_cast<uint8_t>(b);
    EXPECT_EQ(classify_muxed_packet(p), (b >= 192 && b <= 223) ? MuxedKind::rtcp : MuxedKind::rtp);
  }
  p[0] = 0x00;  // STUN-like first byte
  EXPECT_EQ(classify_muxed_packet(p), MuxedKind::invalid);
  EXPECT_EQ(classify_muxed_packet(std::span(p).first(1)), MuxedKind::invalid);
}

}  // namespace
}  // namespace trunkgate::media
