#include "media/srtp/srtp_key_derivation.h"

#include <cstring>

namespace trunkgate::media {

bool derive_srtp_key(AesHmacEngine& engine, const uint8_t master_key[kSrtpMasterKeyLength],
                     const uint8_t master_salt[kSrtpMasterSaltLength], SrtpLabel label,
                     uint8_t* out, std::size_t length) {
  constexpr std::size_t kMaxOutput = 64;
  if (length > kMaxOutput) return false;
  // x = master_salt XOR (label << 48), placed in the top 112 bits of the counter block.
  alignas(16) uint8_t iv[16] = {};
  std::memcpy(iv, master_salt, kSrtpMasterSaltLength);
  iv[7] ^= static_cast<uint8_t>(label);
  AesCtrKey key;
  engine.expand_key(master_key, key);
  uint8_t keystream[kMaxOutput] = {};
  CipherMacJob job;
  job.buffer = keystream;
  job.cipher_length = length;
  job.iv = iv;
  job.cipher_key = &key;
  if (!engine.run(job, CipherDirection::encrypt_then_mac)) return false;
  std::memcpy(out, keystream, length);
  return true;
}

bool derive_session_keys(AesHmacEngine& engine, const SrtpPolicy& policy, bool rtcp,
                         SrtpSessionKeys& out) {
  const auto base = static_cast<uint8_t>(rtcp ? SrtpLabel::rtcp_cipher : SrtpLabel::rtp_cipher);
  const bool aead = is_aead(policy.suite);
  // RFC 7714 errata 4938: the 96-bit AEAD master salt enters the KDF multiplied by 2^16.
  uint8_t master_salt[kSrtpMasterSaltLength];
  std::memcpy(master_salt, policy.master_salt, sizeof master_salt);
  if (aead) master_salt[12] = master_salt[13] = 0;
  std::memset(out.salt, 0, sizeof out.salt);
  uint8_t cipher_key[16];
  const bool ok =
      derive_srtp_key(engine, policy.master_key, master_salt, SrtpLabel(base), cipher_key,
                      sizeof cipher_key) &&
      derive_srtp_key(engine, policy.master_key, master_salt, SrtpLabel(base + 2), out.salt,
                      aead ? kAeadMasterSaltLength : kSrtpMasterSaltLength);
  if (!ok) return false;
  if (aead) {
    engine.expand_gcm_key(cipher_key, out.gcm);
    return true;
  }
  uint8_t auth_key[20];
  if (!derive_srtp_key(engine, policy.master_key, master_salt, SrtpLabel(base + 1), auth_key,
                       sizeof auth_key))
    return false;
  engine.expand_key(cipher_key, out.cm.cipher);
  engine.hmac_precompute(auth_key, sizeof auth_key, out.cm.auth);
  return true;
}

}  // namespace trunkgate::media
