// Ones'-complement (RFC 1071) arithmetic for incremental IP/UDP checksum updates (RFC 1624). The
// relay never walks the payload when the sender supplied a UDP checksum: the payload's sum is
// recovered from the old checksum and reused in the new one.
#pragma once

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
