// RFC 4568 a=crypto parsing, with the attribute lines of spec 002 (Microsoft Mediation Server).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "media/srtp/sdes_crypto_attribute.h"

namespace trunkgate::media {
namespace {

TEST(SdesCrypto, ParsesMicrosoftLineWithLifetimeAndMki) {
  // spec 002 line 1300
  SdesCrypto c;
  ASSERT_EQ(parse_sdes_crypto("a=crypto:2 AES_CM_128_HMAC_SHA1_80 "
                              "inline:VqAkQvuZOMKH1uaXvi+8kjiJlRsiyngtcuh2AA5k|2^31|1:1\r\n",
                              c),
            SdesError::ok);
  EXPECT_EQ(c.tag, 2u);
  EXPECT_EQ(c.policy.suite, SrtpSuite::aes_cm_128_hmac_sha1_80);
  EXPECT_EQ(c.policy.lifetime, uint64_t{1} << 31);
  EXPECT_EQ(c.policy.mki, 1u);
  EXPECT_EQ(c.policy.mki_length, 1);
  // base64 "VqAk" = 56 a0 24
  EXPECT_EQ(c.policy.master_key[0], 0x56);
  EXPECT_EQ(c.policy.master_key[1], 0xa0);
  EXPECT_EQ(c.policy.master_key[2], 0x24);
}

TEST(SdesCrypto, ParsesMki244AndNoMki) {
  SdesCrypto c;
  // spec 002 line 1817
  ASSERT_EQ(parse_sdes_crypto("2 AES_CM_128_HMAC_SHA1_80 "
                              "inline:bN1zDJ0LC8QYNvMIdohDtGkWD/rCastpGbz5ObNo|2^31|244:1",
                              c),
            SdesError::ok);
  EXPECT_EQ(c.policy.mki, 244u);
  // spec 002 line 1528: no MKI
  ASSERT_EQ(parse_sdes_crypto("3 AES_CM_128_HMAC_SHA1_80 "
                              "inline:tbZ34R5hvbfBSsVLMd0/uiQ7AWOCJD5Hj+Q58HQm|2^31",
                              c),
            SdesError::ok);
  EXPECT_EQ(c.policy.mki_length, 0);
  EXPECT_EQ(c.tag, 3u);
}

TEST(SdesCrypto, RejectsTheTruncatedKeyOfSpec002Line1527) {
  SdesCrypto c;
  EXPECT_EQ(parse_sdes_crypto("2 AES_CM_128_HMAC_SHA1_80 "
                              "inline:P46SfAzbRN3d06tBm787I3Pv/3j+5h0mtM1tvdv|2^31|1:1",
                              c),
            SdesError::bad_key_length);
}

TEST(SdesCrypto, PreciseErrors) {
  const std::string key = "inline:VqAkQvuZOMKH1uaXvi+8kjiJlRsiyngtcuh2AA5k";
  SdesCrypto c;
  EXPECT_EQ(parse_sdes_crypto("x AES_CM_128_HMAC_SHA1_80 " + key, c), SdesError::bad_tag);
  EXPECT_EQ(parse_sdes_crypto("1 F8_128_HMAC_SHA1_80 " + key, c), SdesError::unknown_suite);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 uri:x", c), SdesError::missing_inline);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:Vq!k", c), SdesError::bad_base64);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + "AAAA", c),
            SdesError::bad_key_length);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + "|2^49", c),
            SdesError::bad_lifetime);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + "|0", c),
            SdesError::bad_lifetime);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + "|256:1", c),
            SdesError::bad_mki);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + "|1:5", c),
            SdesError::mki_too_long);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + "|1:1|2^20|x", c),
            SdesError::bad_mki);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + " KDR=1", c),
            SdesError::unsupported_session_param);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + " UNENCRYPTED_SRTP", c),
            SdesError::unsupported_session_param);
  EXPECT_EQ(parse_sdes_crypto("1 AES_CM_128_HMAC_SHA1_80 " + key + " WSH=10", c),
            SdesError::bad_window);
}

TEST(SdesCrypto, AcceptsKdrZeroWindowHintAndSha132) {
  SdesCrypto c;
  ASSERT_EQ(parse_sdes_crypto("7 AES_CM_128_HMAC_SHA1_32 "
                              "inline:VqAkQvuZOMKH1uaXvi+8kjiJlRsiyngtcuh2AA5k|1048576 KDR=0 WSH=64",
                              c),
            SdesError::ok);
  EXPECT_EQ(c.policy.suite, SrtpSuite::aes_cm_128_hmac_sha1_32);
  EXPECT_EQ(c.policy.lifetime, 1048576u);
  EXPECT_EQ(c.policy.replay_window, 64);
}

TEST(SdesCrypto, AeadGcmTakesA28ByteKeySaltAndRoundTrips) {
  SdesCrypto c;
  c.tag = 4;
  c.policy.suite = SrtpSuite::aead_aes_128_gcm;
  for (int i = 0; i < 16; ++i) c.policy.master_key[i] = static_cast<uint8_t>(i + 1);
  for (int i = 0; i < 12; ++i) c.policy.master_salt[i] = static_cast<uint8_t>(0xf0 + i);
  char text[128];
  const std::size_t n = format_sdes_crypto(c, false, text, sizeof text);
  const std::string line(text, n);
  EXPECT_EQ(line.substr(0, 24), "4 AEAD_AES_128_GCM inlin") << line;
  SdesCrypto back;
  ASSERT_EQ(parse_sdes_crypto(line, back), SdesError::ok) << line;
  EXPECT_EQ(back.policy.suite, SrtpSuite::aead_aes_128_gcm);
  EXPECT_EQ(0, std::memcmp(back.policy.master_salt, c.policy.master_salt, 12));
  // A 30-byte AES-CM key||salt is the wrong size for this suite.
  EXPECT_EQ(parse_sdes_crypto("1 AEAD_AES_128_GCM inline:VqAkQvuZOMKH1uaXvi+8kjiJlRsiyngtcuh2AA5k", back),
            SdesError::bad_key_length);
}

TEST(SdesCrypto, FormatRoundTrips) {
  SdesCrypto c;
  c.tag = 1;
  for (int i = 0; i < 16; ++i) c.policy.master_key[i] = static_cast<uint8_t>(i * 17);
  for (int i = 0; i < 14; ++i) c.policy.master_salt[i] = static_cast<uint8_t>(255 - i);
  c.policy.lifetime = uint64_t{1} << 31;
  c.policy.mki = 244;
  c.policy.mki_length = 1;
  char text[128];
  const std::size_t n = format_sdes_crypto(c, true, text, sizeof text);
  ASSERT_GT(n, 0u);
  const std::string line(text, n);
  EXPECT_NE(line.find("|2^31|244:1"), std::string::npos) << line;
  SdesCrypto back;
  ASSERT_EQ(parse_sdes_crypto(line, back), SdesError::ok) << line;
  EXPECT_EQ(0, std::memcmp(back.policy.master_key, c.policy.master_key, 16));
  EXPECT_EQ(0, std::memcmp(back.policy.master_salt, c.policy.master_salt, 14));
  EXPECT_EQ(back.policy.mki, 244u);
  EXPECT_EQ(format_sdes_crypto(c, true, text, n - 1), 0u);  // too small: nothing claimed
}

TEST(SdesCrypto, NoPrefixOfAValidLineCrashesAndOnlyCompleteOnesParse) {
  const std::string line =
      "2 AES_CM_128_HMAC_SHA1_80 inline:VqAkQvuZOMKH1uaXvi+8kjiJlRsiyngtcuh2AA5k|2^31|1:1";
  SdesCrypto c;
  for (std::size_t n = 0; n < line.size(); ++n) {
    const SdesError e = parse_sdes_crypto(std::string_view(line).substr(0, n), c);
    // Cutting inside "|1:1" or "|2^31" can leave a shorter but valid line.
    if (n < line.size() - 9) {
      EXPECT_NE(e, SdesError::ok) << n;
    }
  }
}

}  // namespace
}  // namespace trunkgate::media
