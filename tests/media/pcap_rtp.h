#pragma once
// Reads the UDP payloads (RTP) of a classic little-endian Ethernet/IPv4 pcap file, such as the
// captures SIPp ships in /usr/share/sip-tester.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace trunkgate::media::test {

inline uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

inline std::vector<std::vector<uint8_t>> udp_payloads_from_pcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> d((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<uint8_t>> out;
  if (d.size() < 24 || le32(d.data()) != 0xa1b2c3d4 || le32(d.data() + 20) != 1) return out;
  std::size_t at = 24;
  while (at + 16 <= d.size()) {
    const std::size_t length = le32(d.data() + at + 8);
    at += 16;
    if (length > d.size() - at) break;
    const uint8_t* frame = d.data() + at;
    at += length;
    if (length < 14 + 20 + 8 || frame[12] != 0x08 || frame[13] != 0x00) continue;  // IPv4 only
    const std::size_t ihl = (frame[14] & 0x0f) * 4u;
    if (frame[14 + 9] != 17 || length < 14 + ihl + 8) continue;  // UDP only
    out.emplace_back(frame + 14 + ihl + 8, frame + length);
  }
  return out;
}

}  // namespace trunkgate::media::test
