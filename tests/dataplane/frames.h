// Test frames built independently of the code under test (own checksum code), so a checksum bug
// in the data plane cannot hide behind the same bug in the test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trunkgate::test {

struct FrameSpec {
  bool ipv6 = false;
  std::string src_ip = "192.0.2.10";
  std::string dst_ip = "192.0.2.1";
  uint16_t src_port = 40000;
  uint16_t dst_port = 20000;
  uint16_t vlan = 0;
  uint8_t ttl = 64;
  uint8_t tos = 0;
  bool udp_checksum = true;  // IPv4 only: false sends checksum 0
  std::vector<uint8_t> payload;
  uint8_t src_mac[6] = {0x02, 0, 0, 0, 0, 0x10};
  uint8_t dst_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
};

std::vector<uint8_t> rtp_payload(uint16_t seq, uint32_t ts, uint32_t ssrc, size_t len = 172,
                                 uint8_t pt = 8);
std::vector<uint8_t> build_frame(const FrameSpec& spec);

uint16_t be16(const uint8_t* p);
uint32_t be32(const uint8_t* p);
// Verifies IPv4 header checksum (when IPv4) and the UDP checksum of a frame built like ours.
bool checksums_valid(const std::vector<uint8_t>& frame, unsigned l3_offset);
std::vector<uint8_t> ip_bytes(const std::string& text);

}  // namespace trunkgate::test
