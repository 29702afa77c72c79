#pragma once
// Plain RTP and RTCP packets with varied shapes (payload sizes, CSRCs, extension, padding) for
// the SRTP tests.
#include <cstdint>
#include <vector>

namespace trunkgate::media::test {

inline std::vector<uint8_t> make_rtp(uint16_t seq, uint32_t ssrc, std::size_t payload,
                                     unsigned shape) {
  const bool csrc = (shape & 1) != 0;
  const bool extension = (shape & 2) != 0;
  const bool padding = (shape & 4) != 0;
  std::vector<uint8_t> p;
  p.push_back(static_cast<uint8_t>(0x80 | (padding ? 0x20 : 0) | (extension ? 0x10 : 0) |
                                   (csrc ? 1 : 0)));
  p.push_back(0);
  p.push_back(static_cast<uint8_t>(seq >> 8));
  p.push_back(static_cast<uint8_t>(seq));
  const uint32_t ts = uint32_t{seq} * 160u;
  for (int i = 3; i >= 0; --i) p.push_back(static_cast<uint8_t>(ts >> (8 * i)));
  for (int i = 3; i >= 0; --i) p.push_back(static_cast<uint8_t>(ssrc >> (8 * i)));
  if (csrc) p.insert(p.end(), {0x11, 0x22, 0x33, 0x44});
  if (extension) p.insert(p.end(), {0xbe, 0xde, 0x00, 0x01, 0x10, 0x55, 0x00, 0x00});
  for (std::size_t i = 0; i < payload; ++i) p.push_back(static_cast<uint8_t>(seq + i * 7));
  if (padding) p.insert(p.end(), {0, 0, 3});
  return p;
}

// SR (no report blocks) + SDES with one CNAME chunk; 44 bytes.
inline std::vector<uint8_t> make_rtcp(uint32_t ssrc, uint32_t ntp_low) {
  std::vector<uint8_t> p = {0x80, 200, 0, 6};
  for (int i = 3; i >= 0; --i) p.push_back(static_cast<uint8_t>(ssrc >> (8 * i)));
  for (int i = 0; i < 16; ++i) p.push_back(static_cast<uint8_t>(ntp_low + i));
  p.insert(p.end(), {0x81, 202, 0, 3});
  for (int i = 3; i >= 0; --i) p.push_back(static_cast<uint8_t>(ssrc >> (8 * i)));
  p.insert(p.end(), {1, 3, 'a', 'b', 'c', 0, 0, 0});
  return p;
}

}  // namespace trunkgate::media::test
