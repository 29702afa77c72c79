#include "controlplane/sdp/sdes.h"

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

#include "media/srtp/sdes_crypto_attribute.h"

namespace trunkgate::cp {
namespace {

constexpr uint64_t kDefaultLifetime = uint64_t{1} << 48;  // RFC 3711 section 9.2

channel::SrtpSuite to_channel(media::SrtpSuite suite) {
  switch (suite) {
    case media::SrtpSuite::aes_cm_128_hmac_sha1_80:
      return channel::SrtpSuite::kAesCm128HmacSha1_80;
    case media::SrtpSuite::aes_cm_128_hmac_sha1_32:
      return channel::SrtpSuite::kAesCm128HmacSha1_32;
    case media::SrtpSuite::aead_aes_128_gcm:
      return channel::SrtpSuite::kAeadAes128Gcm;
  }
  return channel::SrtpSuite::kNone;
}

media::SrtpSuite to_media(channel::SrtpSuite suite) {
  switch (suite) {
    case channel::SrtpSuite::kAesCm128HmacSha1_32:
      return media::SrtpSuite::aes_cm_128_hmac_sha1_32;
    case channel::SrtpSuite::kAeadAes128Gcm:
      return media::SrtpSuite::aead_aes_128_gcm;
    default:
      return media::SrtpSuite::aes_cm_128_hmac_sha1_80;
  }
}

}  // namespace

std::optional<SdesKey> parse_crypto(std::string_view value, std::string& error) {
  media::SdesCrypto crypto;
  const media::SdesError e = media::parse_sdes_crypto(value, crypto);
  if (e != media::SdesError::ok) {
    error = media::to_string(e);
    return std::nullopt;
  }
  SdesKey key;
  key.tag = crypto.tag;
  key.suite = to_channel(crypto.policy.suite);
  // The AEAD suite carries a 12-byte salt (RFC 7714 section 12); the parser leaves bytes 12-13
  // zero, which is what the data plane's SrtpParams expects ("AEAD uses the first 12 bytes").
  std::memcpy(key.key, crypto.policy.master_key, sizeof key.key);
  std::memcpy(key.salt, crypto.policy.master_salt, sizeof key.salt);
  key.mki_length = crypto.policy.mki_length;
  key.mki = crypto.policy.mki;
  key.lifetime = crypto.policy.lifetime == kDefaultLifetime ? 0 : crypto.policy.lifetime;
  return key;
}

std::string format_crypto(const SdesKey& key) {
  media::SdesCrypto crypto;
  crypto.tag = key.tag;
  crypto.policy.suite = to_media(key.suite);
  std::memcpy(crypto.policy.master_key, key.key, sizeof key.key);
  std::memcpy(crypto.policy.master_salt, key.salt, sizeof key.salt);
  crypto.policy.mki_length = key.mki_length;
  crypto.policy.mki = key.mki;
  crypto.policy.lifetime = key.lifetime;
  char text[128];  // the longest form is about 90 characters
  const std::size_t n = media::format_sdes_crypto(crypto, key.lifetime != 0, text, sizeof text);
  return std::string(text, n);
}

SdesKey generate_key(channel::SrtpSuite suite, uint32_t tag) {
  SdesKey key;
  key.tag = tag;
  key.suite = suite;
  bool nonzero = false;
  while (!nonzero) {  // the data plane rejects an all-zero key as unset (kBadSrtpKey)
    random_bytes(key.key, sizeof key.key);
    for (uint8_t b : key.key) nonzero |= b != 0;
  }
  const std::size_t salt_length =
      suite == channel::SrtpSuite::kAeadAes128Gcm ? 12 : sizeof key.salt;
  random_bytes(key.salt, salt_length);
  return key;
}

channel::SrtpParams srtp_params(const SdesKey& key) {
  channel::SrtpParams p{};
  p.suite = static_cast<uint8_t>(key.suite);
  p.mki_length = key.mki_length;
  p.mki = key.mki;
  std::memcpy(p.master_key, key.key, sizeof p.master_key);
  std::memcpy(p.master_salt, key.salt, sizeof p.master_salt);
  p.lifetime = key.lifetime;
  return p;
}

void random_bytes(void* out, std::size_t size) {
  if (RAND_bytes(static_cast<unsigned char*>(out), static_cast<int>(size)) != 1)
    throw std::runtime_error("RAND_bytes failed");
}

}  // namespace trunkgate::cp
