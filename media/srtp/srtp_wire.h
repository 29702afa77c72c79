#pragma once
// Wire helpers shared by the SRTP and SRTCP transforms (internal to media/srtp).
#include <cstddef>
#include <cstdint>

namespace trunkgate::media::srtp_wire {

// AES-CM counter block (RFC 3711 section 4.1.1): (salt << 16) ^ (ssrc << 64) ^ (index << 16).
inline void make_iv(const uint8_t salt[14], uint32_t ssrc, uint64_t index, uint8_t iv[16]) {
  for (int i = 0; i < 14; ++i) iv[i] = salt[i];
  iv[14] = 0;
  iv[15] = 0;
  for (int i = 0; i < 4; ++i) iv[4 + i] ^= static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<uint8_t>(index >> (40 - 8 * i));
}

inline void write_mki(uint8_t* p, uint32_t mki, uint8_t length) {
  for (uint8_t i = 0; i < length; ++i) p[i] = static_cast<uint8_t>(mki >> (8 * (length - 1 - i)));
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
