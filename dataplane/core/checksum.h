// Ones'-complement (RFC 1071) arithmetic for incremental IP/UDP checksum updates (RFC 1624). The
// relay never walks the payload when the sender supplied a UDP checksum: the payload's sum is
// recovered from the old checksum and reused in the new one.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "media/common/byte_order.h"

namespace trunkgate::dp {

// Sum of 16-bit big-endian words; an odd trailing byte is padded with zero.
inline uint32_t csum_add_bytes(const uint8_t* data, size_t len, uint32_t sum = 0) {
  size_t i = 0;
  for (; i + 1 < len; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < len) sum += static_cast<uint32_t>(data[i] << 8);
  return sum;
}

inline uint16_t csum_fold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

// The folded sum of a whole payload (what csum_fold(csum_add_bytes(data, len)) gives), for the
// per-packet walks: native 32-bit words add into 64 bits (no carry is lost below 2^32 words) at a
// quarter of the loads of the 16-bit loop; the folded native sum is the big-endian one byte-swapped
// (RFC 1071 section 2(B)). An odd last byte is the high byte of a zero-padded big-endian word, so
// the low byte of a native one.
inline uint16_t payload_ones_sum(const uint8_t* data, size_t len) {
  static_assert(std::endian::native == std::endian::little, "native words are little-endian");
  uint64_t sum = 0;
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    uint32_t word;
    std::memcpy(&word, data + i, 4);
    sum += word;
  }
  if (i + 2 <= len) {
    uint16_t half;
    std::memcpy(&half, data + i, 2);
    sum += half;
    i += 2;
  }
  if (i < len) sum += data[i];
  const uint16_t native = csum_fold(sum);
  return static_cast<uint16_t>(native << 8 | native >> 8);
}

// a - b in ones'-complement arithmetic (both already folded to 16 bits).
inline uint16_t csum_sub(uint16_t a, uint16_t b) {
  return csum_fold(static_cast<uint32_t>(a) + static_cast<uint16_t>(~b));
}

inline uint16_t csum_add32(uint16_t sum, uint32_t word) {
  return csum_fold(static_cast<uint32_t>(sum) + (word >> 16) + (word & 0xffff));
}

inline uint16_t csum_sub32(uint16_t sum, uint32_t word) {
  return csum_sub(csum_sub(sum, static_cast<uint16_t>(word >> 16)),
                  static_cast<uint16_t>(word & 0xffff));
}

// Network-order loads and stores come from the media library, which the data plane builds on.
using media::load_be16;
using media::load_be32;
using media::store_be16;
using media::store_be32;

}  // namespace trunkgate::dp
