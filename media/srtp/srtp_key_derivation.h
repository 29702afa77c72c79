#pragma once
// SRTP key derivation (RFC 3711 section 4.3) with key_derivation_rate 0, the only rate SDES
// peers use in practice: session keys are derived once per master key.
#include <cstddef>
#include <cstdint>

#include "media/srtp/aes_hmac_engine.h"
#include "media/srtp/srtp_policy.h"

namespace trunkgate::media {

enum class SrtpLabel : uint8_t {
  rtp_cipher = 0, rtp_auth = 1, rtp_salt = 2, rtcp_cipher = 3, rtcp_auth = 4, rtcp_salt = 5
};

// Writes length bytes of the AES-CM PRF output for label into out (setup time only).
bool derive_srtp_key(AesHmacEngine& engine, const uint8_t master_key[kSrtpMasterKeyLength],
                     const uint8_t master_salt[kSrtpMasterSaltLength], SrtpLabel label,
                     uint8_t* out, std::size_t length);

struct AesCmSessionKeys {
  AesCtrKey cipher;
  HmacSha1Key auth;
};

// The expanded session keys of one direction of RTP or of RTCP; the suite says which member of
// the union is live (a stream never changes suite).
struct SrtpSessionKeys {
  union {
    AesCmSessionKeys cm;
    GcmKey gcm;
  };
  uint8_t salt[kSrtpMasterSaltLength];  // AEAD: 12 bytes used
};

bool derive_session_keys(AesHmacEngine& engine, const SrtpPolicy& policy, bool rtcp,
                         SrtpSessionKeys& out);

}  // namespace trunkgate::media
