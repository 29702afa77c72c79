// RFC 3711 appendix B test vectors (B.2 AES-CM keystream, B.3 key derivation) and an RFC 2202
// HMAC-SHA1 vector, all computed through the IPsec-MB engine the fast path uses.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "media/srtp/aes_hmac_engine.h"
#include "media/srtp/srtp_key_derivation.h"
#include "tests/media/hex.h"

namespace trunkgate::media {
namespace {

using test::from_hex;

TEST(SrtpVectors, B2AesCounterModeKeystream) {
  AesHmacEngine engine;
  ASSERT_TRUE(engine.valid());
  AesCtrKey key;
  engine.expand_key(from_hex("2B7E151628AED2A6ABF7158809CF4F3C").data(), key);
  const auto iv = from_hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
  std::vector<uint8_t> keystream(0xff02 * 16, 0);
  CipherMacJob job;
  job.buffer = keystream.data();
  job.cipher_length = keystream.size();
  job.iv = iv.data();
  job.cipher_key = &key;
  ASSERT_TRUE(engine.run(job, CipherDirection::encrypt_then_mac));
  auto block = [&](std::size_t n) {
    return std::vector<uint8_t>(keystream.begin() + static_cast<long>(n * 16),
                                keystream.begin() + static_cast<long>(n * 16 + 16));
  };
  EXPECT_EQ(block(0x0000), from_hex("E03EAD0935C95E80E166B16DD92B4EB4"));
  EXPECT_EQ(block(0x0001), from_hex("D23513162B02D0F72A43A2FE4A5F97AB"));
  EXPECT_EQ(block(0x0002), from_hex("41E95B3BB0A2E8DD477901E4FCA894C0"));
  EXPECT_EQ(block(0xfeff), from_hex("EC8CDF7398607CB0F2D21675EA9EA1E4"));
  EXPECT_EQ(block(0xff00), from_hex("362B7C3C6773516318A077D7FC5073AE"));
  EXPECT_EQ(block(0xff01), from_hex("6A2CC3787889374FBEB4C81B17BA6C44"));
}

TEST(SrtpVectors, B3KeyDerivation) {
  AesHmacEngine engine;
  const auto master_key = from_hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  const auto master_salt = from_hex("0EC675AD498AFEEBB6960B3AABE6");
  std::vector<uint8_t> cipher(16), salt(14), auth(20);
  ASSERT_TRUE(derive_srtp_key(engine, master_key.data(), master_salt.data(), SrtpLabel::rtp_cipher,
                              cipher.data(), cipher.size()));
  ASSERT_TRUE(derive_srtp_key(engine, master_key.data(), master_salt.data(), SrtpLabel::rtp_salt,
                              salt.data(), salt.size()));
  ASSERT_TRUE(derive_srtp_key(engine, master_key.data(), master_salt.data(), SrtpLabel::rtp_auth,
                              auth.data(), auth.size()));
  EXPECT_EQ(cipher, from_hex("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(salt, from_hex("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(auth, from_hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
}

TEST(SrtpVectors, Rfc2202HmacSha1TruncatedTo96Bits) {
  AesHmacEngine engine;
  HmacSha1Key key;
  const std::vector<uint8_t> raw_key(20, 0x0b);
  engine.hmac_precompute(raw_key.data(), raw_key.size(), key);
  uint8_t message[] = {'H', 'i', ' ', 'T', 'h', 'e', 'r', 'e'};
  uint8_t tag[kHmacSha1MaxTag];
  CipherMacJob job;
  job.buffer = message;
  job.mac_length = sizeof message;
  job.mac_key = &key;
  job.tag_out = tag;
  ASSERT_TRUE(engine.run(job, CipherDirection::mac_then_decrypt));
  EXPECT_EQ(std::vector<uint8_t>(tag, tag + 12), from_hex("b617318655057264e28bc0b6"));
}

}  // namespace
}  // namespace trunkgate::media
