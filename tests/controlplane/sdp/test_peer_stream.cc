// read_stream over real peers' SDP (specs 000, 001, 002) and hostile SDP.
#include <gtest/gtest.h>

#include <string>

#include "controlplane/sdp/media_negotiation.h"
#include "controlplane/sdp/payload_formats.h"
#include "tests/controlplane/sdp/spec_sdps.h"

namespace trunkgate::cp {
namespace {

using channel::Codec;
using test::peer_sdp;
using test::read_ok;

std::string read_error(std::string_view sdp) {
  std::string error;
  EXPECT_FALSE(read_stream(sdp, error)) << sdp;
  return error;
}

TEST(SdpReadStream, CucmPlaceholderOfferInPeerOrder) {
  const PeerStream s = read_ok(test::kCucmPlaceholderOffer);
  EXPECT_EQ(s.address, "10.10.199.238");
  EXPECT_EQ(s.port, 4000);
  EXPECT_EQ(s.rtcp_port, 4001);
  ASSERT_EQ(s.codecs.size(), 3u);
  EXPECT_EQ(s.codecs[0].pt, 0);
  EXPECT_EQ(codec_of(s.codecs[0]), Codec::kPcmu);
  EXPECT_EQ(s.codecs[1].pt, 8);
  EXPECT_EQ(codec_of(s.codecs[1]), Codec::kPcma);
  EXPECT_EQ(s.codecs[2].pt, 18);
  EXPECT_EQ(codec_of(s.codecs[2]), Codec::kG729);
  EXPECT_EQ(s.telephone_event_pt, 101);
  EXPECT_EQ(s.ptime_ms, 20u);
  EXPECT_EQ(s.direction, MediaDirection::kSendOnly);
  EXPECT_FALSE(s.secure);
  EXPECT_TRUE(s.keys.empty());
  EXPECT_EQ(s.origin_version, "1");
  EXPECT_EQ(s.media_count, 1u);
  EXPECT_EQ(s.audio_index, 0u);
  EXPECT_TRUE(s.refused_media.empty());
  EXPECT_FALSE(s.unspecified_address());
}

TEST(SdpReadStream, StaticTypesWithoutRtpmap8x8) {
  const PeerStream s = read_ok(test::k8x8Offer);
  ASSERT_EQ(s.codecs.size(), 2u);
  EXPECT_EQ(s.codecs[0].pt, 18);
  EXPECT_EQ(s.codecs[0].encoding, "G729");
  EXPECT_EQ(s.codecs[0].clock_rate, 8000u);
  EXPECT_EQ(s.codecs[1].pt, 0);
  EXPECT_EQ(s.codecs[1].encoding, "PCMU");
  EXPECT_EQ(s.telephone_event_pt, 101);
  EXPECT_EQ(s.ptime_ms, 0u);
  EXPECT_EQ(s.direction, MediaDirection::kSendRecv);
  EXPECT_EQ(s.origin_version, "1219523696");
}

TEST(SdpReadStream, EncodingNamesAreCaseInsensitive) {
  const PeerStream s = read_ok(test::kCucmLowerCase);
  ASSERT_EQ(s.codecs.size(), 1u);
  EXPECT_EQ(s.codecs[0].encoding, "pcmu");
  EXPECT_EQ(codec_of(s.codecs[0]), Codec::kPcmu);
  EXPECT_EQ(codec_from_name("g729"), Codec::kG729);
  EXPECT_EQ(codec_from_name("G722"), Codec::kNone);
  EXPECT_STREQ(codec_name(Codec::kPcma), "PCMA");
}

TEST(SdpReadStream, RtpmapOverridesTheStaticAssignmentAndClockRateCounts) {
  // A peer may map a static number to something else; and PCMU at 16 kHz is not our PCMU.
  const PeerStream s = read_ok(
      peer_sdp("m=audio 5000 RTP/AVP 8 96 97\r\na=rtpmap:8 G729/8000\r\na=rtpmap:96 PCMU/16000\r\n"
               "a=rtpmap:97 PCMA/8000\r\n"));
  ASSERT_EQ(s.codecs.size(), 3u);
  EXPECT_EQ(codec_of(s.codecs[0]), Codec::kG729);
  EXPECT_EQ(codec_of(s.codecs[1]), Codec::kNone);
  EXPECT_EQ(codec_of(s.codecs[2]), Codec::kPcma);
  EXPECT_EQ(s.codecs[2].pt, 97);
}

TEST(SdpReadStream, CucmHoldKeepsTheUnspecifiedAddress) {
  const PeerStream s = read_ok(test::kCucmHold);
  EXPECT_EQ(s.address, "0.0.0.0");
  EXPECT_TRUE(s.unspecified_address());
  EXPECT_EQ(s.direction, MediaDirection::kInactive);
  EXPECT_EQ(s.port, 18334);
  EXPECT_EQ(s.origin_version, "2");
}

TEST(SdpReadStream, MicrosoftSavpWithLifetimeAndMki) {
  const PeerStream s = read_ok(test::kMicrosoftGwSdp);
  EXPECT_TRUE(s.secure);
  EXPECT_EQ(s.rtcp_port, 6391);
  ASSERT_EQ(s.codecs.size(), 1u);  // CN (13) is not an audio codec to choose
  EXPECT_EQ(codec_of(s.codecs[0]), Codec::kPcmu);
  EXPECT_EQ(s.telephone_event_pt, 101);
  EXPECT_EQ(s.cn_pt, 13);  // static, without rtpmap
  ASSERT_EQ(s.keys.size(), 1u);
  const SdesKey& k = s.keys[0];
  EXPECT_EQ(k.tag, 2u);
  EXPECT_EQ(k.suite, channel::SrtpSuite::kAesCm128HmacSha1_80);
  EXPECT_EQ(k.mki, 244u);
  EXPECT_EQ(k.mki_length, 1);
  EXPECT_EQ(k.lifetime, uint64_t{1} << 31);
  EXPECT_EQ(k.key[0], 0x6c);  // base64 "bN1z" = 6c dd 73
  EXPECT_EQ(k.key[1], 0xdd);
  EXPECT_EQ(k.key[2], 0x73);
}

TEST(SdpReadStream, ComfortNoiseStaticOrByRtpmapAt8000HzOnly) {
  EXPECT_EQ(read_ok(test::kCucmAck).cn_pt, -1);  // not listed
  EXPECT_EQ(read_ok(peer_sdp("m=audio 5000 RTP/AVP 8 13\r\n")).cn_pt, 13);
  // Dynamic, any case; the first CN at 8000 Hz counts, wideband CN is not ours.
  const PeerStream dynamic =
      read_ok(peer_sdp("m=audio 5000 RTP/AVP 8 98 97 99\r\na=rtpmap:98 cn/16000\r\n"
                       "a=rtpmap:97 Cn/8000\r\na=rtpmap:99 CN/8000\r\n"));
  EXPECT_EQ(dynamic.cn_pt, 97);
  ASSERT_EQ(dynamic.codecs.size(), 1u);  // CN is never a codec
  EXPECT_EQ(read_ok(peer_sdp("m=audio 5000 RTP/AVP 0 98\r\na=rtpmap:98 CN/32000\r\n")).cn_pt, -1);
  // 13 mapped to something else by rtpmap is not CN; a dynamic type without rtpmap is nothing.
  const PeerStream remapped =
      read_ok(peer_sdp("m=audio 5000 RTP/AVP 13 96\r\na=rtpmap:13 PCMA/8000\r\n"));
  EXPECT_EQ(remapped.cn_pt, -1);
  EXPECT_EQ(codec_of(remapped.codecs.at(0)), Codec::kPcma);
  // A hostile line repeating CN: one number, bounded like every format.
  std::string many = "m=audio 5000 RTP/AVP 0";
  for (int i = 0; i < 63; ++i) many += " 13";
  EXPECT_EQ(read_ok(peer_sdp(many + "\r\n")).cn_pt, 13);
  EXPECT_NE(read_error(peer_sdp(many + " 13\r\n")).find("too many formats"), std::string::npos);
}

TEST(SdpReadStream, SessionLevelDirectionAndIpv6) {
  const PeerStream s = read_ok(
      "v=0\r\no=- 1 1 IN IP6 2001:db8::7\r\ns=-\r\nc=IN IP6 2001:db8::7\r\nt=0 0\r\n"
      "a=recvonly\r\nm=audio 5000 RTP/AVP 0\r\n");
  EXPECT_EQ(s.address, "2001:db8::7");
  EXPECT_EQ(s.direction, MediaDirection::kRecvOnly);
}

TEST(SdpReadStream, OtherStreamsAreRecordedForRefusal) {
  const PeerStream s = read_ok(
      peer_sdp("m=video 6000 RTP/AVP 31 34\r\nm=audio 5000 RTP/AVP 0\r\nm=audio 5002 RTP/AVP 8\r\n"
               "m=image 7000 udptl t38\r\n"));
  EXPECT_EQ(s.media_count, 4u);
  EXPECT_EQ(s.audio_index, 1u);
  EXPECT_EQ(s.port, 5000);
  ASSERT_EQ(s.refused_media.size(), 3u);
  EXPECT_EQ(s.refused_media[0], "video 0 RTP/AVP 31");
  EXPECT_EQ(s.refused_media[1], "audio 0 RTP/AVP 8");  // only the first audio stream is used
  EXPECT_EQ(s.refused_media[2], "image 0 udptl t38");
}

TEST(SdpReadStream, UnsupportedCryptoLinesAreSkipped) {
  const PeerStream s = read_ok(
      peer_sdp("m=audio 5000 RTP/SAVP 0\r\n"
               "a=crypto:1 F8_128_HMAC_SHA1_80 inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo\r\n"
               "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo "
               "UNENCRYPTED_SRTP\r\n"
               "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:short\r\n"
               "a=crypto:4 AES_CM_128_HMAC_SHA1_32 "
               "inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo|2^20\r\n"));
  ASSERT_EQ(s.keys.size(), 1u);
  EXPECT_EQ(s.keys[0].tag, 4u);
  EXPECT_EQ(s.keys[0].suite, channel::SrtpSuite::kAesCm128HmacSha1_32);
  EXPECT_EQ(s.keys[0].lifetime, uint64_t{1} << 20);
}

TEST(SdpReadStream, PortZeroNeedsNoConnection) {
  const PeerStream s = read_ok(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=-\r\nt=0 0\r\n"
      "m=audio 0 RTP/AVP 0\r\n");
  EXPECT_EQ(s.port, 0);
  EXPECT_EQ(s.rtcp_port, 0);
}

TEST(SdpReadStream, OutOfRangeNumbersAreIgnoredOrRejected) {
  // ptime and a=rtcp beyond their ranges are not given; o= versions are kept as text.
  const PeerStream s = read_ok(
      "v=0\r\no=- 1 123456789012345678901234567890 IN IP4 192.0.2.7\r\ns=-\r\n"
      "c=IN IP4 192.0.2.7\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\na=ptime:99999999999999999999\r\n"
      "a=rtcp:70000\r\n");
  EXPECT_EQ(s.ptime_ms, 0u);
  EXPECT_EQ(s.rtcp_port, 5001);
  EXPECT_EQ(s.origin_version, "123456789012345678901234567890");
  EXPECT_NE(read_error(peer_sdp("m=audio 70000 RTP/AVP 0\r\n")), "");
  EXPECT_NE(read_error(peer_sdp("m=audio 99999999999999999999999 RTP/AVP 0\r\n")), "");
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVP 128\r\n")).find("'128'"), std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVP 99999999999999999999\r\n")), "");
  EXPECT_NE(read_error(peer_sdp("m=audio 65535 RTP/AVP 0\r\n")).find("65535"), std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVP 0\r\na=rtcp:0\r\n")).find("rtcp"),
            std::string::npos);
}

TEST(SdpReadStream, PreciseErrors) {
  EXPECT_NE(read_error("").find("SDP"), std::string::npos);
  EXPECT_NE(read_error("hello world").find("SDP"), std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=video 5000 RTP/AVP 31\r\n")).find("no m=audio"),
            std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 UDP/TLS/RTP/SAVPF 0\r\n")).find("UDP/TLS"),
            std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVPF 0\r\n")).find("RTP/AVPF"),
            std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVP abc\r\n")).find("'abc'"), std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVP 0\r\n", "IN IP4 media.example.com"))
                .find("not an IP address"),
            std::string::npos);
  EXPECT_NE(read_error(peer_sdp("m=audio 5000 RTP/AVP 0\r\n", "IN IP4 224.2.1.1/127"))
                .find("not an IP address"),
            std::string::npos);
  EXPECT_NE(
      read_error(peer_sdp("m=audio 5000 RTP/AVP 0\r\n", "IN IP4 224.2.1.1")).find("multicast"),
      std::string::npos);
  EXPECT_NE(
      read_error(peer_sdp("m=audio 5000 RTP/AVP 0\r\n", "IN IP6 192.0.2.1")).find("does not match"),
      std::string::npos);
  EXPECT_NE(read_error("v=0\r\no=- 1 1 IN IP4 192.0.2.7\r\ns=-\r\nt=0 0\r\n"
                       "m=audio 5000 RTP/AVP 0\r\n")
                .find("no c="),
            std::string::npos);
  std::string many = "m=audio 5000 RTP/AVP";
  for (int i = 0; i < 65; ++i) many += " 0";
  EXPECT_NE(read_error(peer_sdp(many + "\r\n")).find("too many"), std::string::npos);
}

// Every prefix and every single-byte corruption of a real SDP either reads or fails with a
// reason; none may crash (the sanitizer builds of the fuzz suite run the same code).
TEST(SdpReadStream, TruncatedAndCorruptedInputGivesErrorsNotCrashes) {
  const std::string good = test::kMicrosoftGwSdp;
  for (std::size_t n = 0; n < good.size(); ++n) {
    std::string error;
    const bool read = read_stream(std::string_view(good).substr(0, n), error).has_value();
    EXPECT_TRUE(read || !error.empty()) << n;
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (char c : {'\0', ' ', ':', '\n', '9', '/'}) {
      std::string bad = good;
      bad[i] = c;
      std::string error;
      const bool read = read_stream(bad, error).has_value();
      EXPECT_TRUE(read || !error.empty()) << i;
    }
  }
}

}  // namespace
}  // namespace trunkgate::cp
