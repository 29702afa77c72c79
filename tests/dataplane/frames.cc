#include "tests/dataplane/frames.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace trunkgate::test {
namespace {

uint32_t sum16(const uint8_t* p, size_t n, uint32_t s = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) s += static_cast<uint32_t>(p[i]) << 8 | p[i + 1];
  if (n & 1) s += static_cast<uint32_t>(p[n - 1]) << 8;
  return s;
}

uint16_t fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(s);
}

void put16(std::vector<uint8_t>& v, uint16_t x) {
  v.push_back(static_cast<uint8_t>(x >> 8));
  v.push_back(static_cast<uint8_t>(x));
}

}  // namespace

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

std::vector<uint8_t> ip_bytes(const std::string& text) {
  uint8_t buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return {buf, buf + 4};
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return {buf, buf + 16};
  throw std::invalid_argument("bad address " + text);
}

std::vector<uint8_t> rtp_payload(uint16_t seq, uint32_t ts, uint32_t ssrc, size_t len, uint8_t pt) {
  std::vector<uint8_t> p(len, 0);
  p[0] = 0x80;
  p[1] = pt;
  p[2] = static_cast<uint8_t>(seq >> 8);
  p[3] = static_cast<uint8_t>(seq);
  for (int i = 0; i < 4; ++i) p[4 + i] = static_cast<uint8_t>(ts >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) p[8 + i] = static_cast<uint8_t>(ssrc >> (24 - 8 * i));
  for (size_t i = 12; i < len; ++i) p[i] = static_cast<uint8_t>(i * 7 + seq);
  return p;
}

std::vector<uint8_t> build_frame(const FrameSpec& s) {
  std::vector<uint8_t> f(s.dst_mac, s.dst_mac + 6);
  f.insert(f.end(), s.src_mac, s.src_mac + 6);
  if (s.vlan) {
    put16(f, 0x8100);
    put16(f, s.vlan);
  }
  put16(f, s.ipv6 ? 0x86dd : 0x0800);
  const size_t l3 = f.size();
  const auto src = ip_bytes(s.src_ip), dst = ip_bytes(s.dst_ip);
  const uint16_t udp_len = static_cast<uint16_t>(8 + s.payload.size());
  if (s.ipv6) {
    put16(f, static_cast<uint16_t>(0x6000 | s.tos << 4));
    put16(f, 0);
    put16(f, udp_len);
    f.push_back(17);
    f.push_back(s.ttl);
  } else {
    f.push_back(0x45);
    f.push_back(s.tos);
    put16(f, static_cast<uint16_t>(20 + udp_len));
    put16(f, 0x1234);
    put16(f, 0);
    f.push_back(s.ttl);
    f.push_back(17);
    put16(f, 0);
  }
  f.insert(f.end(), src.begin(), src.end());
  f.insert(f.end(), dst.begin(), dst.end());
  if (!s.ipv6) {
    const uint16_t c = static_cast<uint16_t>(~fold(sum16(&f[l3], 20)));
    f[l3 + 10] = static_cast<uint8_t>(c >> 8);
    f[l3 + 11] = static_cast<uint8_t>(c);
  }
  const size_t l4 = f.size();
  put16(f, s.src_port);
  put16(f, s.dst_port);
  put16(f, udp_len);
  put16(f, 0);
  f.insert(f.end(), s.payload.begin(), s.payload.end());
  if (s.ipv6 || s.udp_checksum) {
    uint32_t sum = sum16(src.data(), src.size());
    sum = sum16(dst.data(), dst.size(), sum);
    sum += 17 + udp_len;
    sum = sum16(&f[l4], udp_len, sum);
    uint16_t c = static_cast<uint16_t>(~fold(sum));
    if (c == 0) c = 0xffff;
    f[l4 + 6] = static_cast<uint8_t>(c >> 8);
    f[l4 + 7] = static_cast<uint8_t>(c);
  }
  return f;
}

bool checksums_valid(const std::vector<uint8_t>& f, unsigned l3) {
  const bool v6 = (f[l3] >> 4) == 6;
  const unsigned alen = v6 ? 16 : 4;
  const unsigned l4 = l3 + (v6 ? 40 : 20);
  if (!v6 && fold(sum16(&f[l3], 20)) != 0xffff) return false;
  const uint16_t udp_len = be16(&f[l4 + 4]);
  if (l4 + udp_len > f.size()) return false;
  uint32_t sum = sum16(&f[l3 + (v6 ? 8 : 12)], alen);
  sum = sum16(&f[l3 + (v6 ? 24 : 16)], alen, sum);
  sum += 17 + udp_len;
  sum = sum16(&f[l4], udp_len, sum);
  return fold(sum) == 0xffff;
}

}  // namespace trunkgate::test
