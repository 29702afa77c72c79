#pragma once
// Wire helpers shared by the SRTP and SRTCP transforms (internal to media/srtp).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "media/srtp/aes_hmac_engine.h"
#include "media/srtp/srtp_key_derivation.h"

namespace trunkgate::media::srtp_wire {

// AES-CM counter block (RFC 3711 section 4.1.1): (salt << 16) ^ (ssrc << 64) ^ (index << 16).
inline void make_iv(const uint8_t salt[14], uint32_t ssrc, uint64_t index, uint8_t iv[16]) {
  for (int i = 0; i < 14; ++i) iv[i] = salt[i];
  iv[14] = 0;
  iv[15] = 0;
  for (int i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<uint8_t>(index >> (40 - 8 * i));
}

// One encrypt/decrypt + authenticate job over packet: cipher [cipher_offset, cipher_end),
// MAC [0, mac_length). iv (16 bytes) and tag (kHmacSha1MaxTag) are the caller's scratch.
inline CipherMacJob session_job(const SrtpSessionKeys& keys, uint32_t ssrc, uint64_t index,
                                uint8_t* packet, std::size_t cipher_offset,
                                std::size_t cipher_end, std::size_t mac_length, uint8_t* iv,
                                uint8_t* tag) {
  make_iv(keys.salt, ssrc, index, iv);
  CipherMacJob job;
  job.buffer = packet;
  job.cipher_offset = cipher_offset;
  job.cipher_length = cipher_end - cipher_offset;
  job.mac_length = mac_length;
  job.iv = iv;
  job.cipher_key = &keys.cipher;
  job.mac_key = &keys.auth;
  job.tag_out = tag;
  return job;
}

inline void write_mki(uint8_t* p, uint32_t mki, uint8_t length) {
  for (uint8_t i = 0; i < length; ++i) p[i] = static_cast<uint8_t>(mki >> (8 * (length - 1 - i)));
}

inline void write_mki_and_tag(uint8_t* p, uint32_t mki, uint8_t mki_length, const uint8_t* tag,
                              std::size_t tag_length) {
  write_mki(p, mki, mki_length);
  std::memcpy(p + mki_length, tag, tag_length);
}

// Protect needs room for the trailer, and the result must still be a UDP-sized datagram.
inline bool trailer_fits(std::size_t length, std::size_t trailer, std::size_t capacity) {
  return capacity >= length + trailer && length + trailer <= 0xffff;
}

inline bool mki_matches(const uint8_t* p, uint32_t mki, uint8_t length) {
  uint32_t wire = 0;
  for (uint8_t i = 0; i < length; ++i) wire = (wire << 8) | p[i];
  return wire == mki;
}

// Constant-time so the comparison does not leak how many tag bytes an attacker got right.
inline bool tags_equal(const uint8_t* a, const uint8_t* b, std::size_t length) {
  uint8_t diff = 0;
  for (std::size_t i = 0; i < length; ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace trunkgate::media::srtp_wire
