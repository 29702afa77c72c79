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

// The fields every job shares: cipher [cipher_offset, cipher_end) of packet, iv and tag scratch.
inline CipherMacJob packet_job(uint8_t* packet, std::size_t cipher_offset, std::size_t cipher_end,
                               uint8_t* iv, uint8_t* tag) {
  CipherMacJob job;
  job.buffer = packet;
  job.cipher_offset = cipher_offset;
  job.cipher_length = cipher_end - cipher_offset;
  job.iv = iv;
  job.tag_out = tag;
  return job;
}

// One encrypt/decrypt + authenticate job over packet: cipher [cipher_offset, cipher_end),
// MAC [0, mac_length). iv (16 bytes) and tag (kMaxTagOutput) are the caller's scratch.
inline CipherMacJob session_job(const SrtpSessionKeys& keys, uint32_t ssrc, uint64_t index,
                                uint8_t* packet, std::size_t cipher_offset,
                                std::size_t cipher_end, std::size_t mac_length, uint8_t* iv,
                                uint8_t* tag) {
  make_iv(keys.salt, ssrc, index, iv);
  CipherMacJob job = packet_job(packet, cipher_offset, cipher_end, iv, tag);
  job.mac_length = mac_length;
  job.cipher_key = &keys.cm.cipher;
  job.mac_key = &keys.cm.auth;
  return job;
}

// AES-GCM nonce (RFC 7714 sections 8.1 and 9.1): salt ^ (0x0000 || SSRC || 48-bit value), the
// value being ROC || SEQ (the packet index) for SRTP and the SRTCP index for SRTCP.
inline void make_aead_iv(const uint8_t salt[12], uint32_t ssrc, uint64_t value, uint8_t iv[12]) {
  for (int i = 0; i < 12; ++i) iv[i] = salt[i];
  for (int i = 0; i < 4; ++i) iv[2 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[6 + i] ^= static_cast<uint8_t>(value >> (40 - 8 * i));
}

// One AES-GCM job: ciphertext [cipher_offset, cipher_end), additional data aad; the 16-byte tag
// goes to tag. iv needs 12 bytes.
inline CipherMacJob aead_job(const SrtpSessionKeys& keys, uint32_t ssrc, uint64_t value,
                             uint8_t* packet, std::size_t cipher_offset, std::size_t cipher_end,
                             const uint8_t* aad, std::size_t aad_length, uint8_t* iv,
                             uint8_t* tag) {
  make_aead_iv(keys.salt, ssrc, value, iv);
  CipherMacJob job = packet_job(packet, cipher_offset, cipher_end, iv, tag);
  job.gcm_key = &keys.gcm;
  job.aad = aad;
  job.aad_length = aad_length;
  return job;
}

inline void write_mki(uint8_t* p, uint32_t mki, uint8_t length) {
  for (uint8_t i = 0; i < length; ++i) p[i] = static_cast<uint8_t>(mki >> (8 * (length - 1 - i)));
}

// RFC 3711 puts the MKI before the tag; RFC 7714's AEAD tag is part of the ciphertext, so there
// the MKI follows it.
inline void write_trailer(bool aead, uint8_t* p, uint32_t mki, uint8_t mki_length,
                          const uint8_t* tag, std::size_t tag_length) {
  if (aead) {
    std::memcpy(p, tag, tag_length);
    write_mki(p + tag_length, mki, mki_length);
  } else {
    write_mki(p, mki, mki_length);
    std::memcpy(p + mki_length, tag, tag_length);
  }
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
