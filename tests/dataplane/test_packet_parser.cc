#include <gtest/gtest.h>

#include "dataplane/core/packet_parser.h"
#include "tests/dataplane/frames.h"

using namespace trunkgate;
using dp::Verdict;

namespace {

const dp::MediaPortRange kMedia{20000, 29999};

dp::ParsedPacket parse(const std::vector<uint8_t>& f) {
  return dp::parse_frame(f.data(), static_cast<uint32_t>(f.size()), kMedia);
}

test::FrameSpec media_spec() {
  test::FrameSpec s;
  s.payload = test::rtp_payload(1, 160, 0x1234);
  return s;
}

TEST(PacketParser, Ipv4MediaPacketIsClassifiedWithItsOffsets) {
  const auto f = test::build_frame(media_spec());
  const auto p = parse(f);
  ASSERT_EQ(p.verdict, Verdict::kMedia);
  EXPECT_EQ(p.family, channel::Family::kIPv4);
  EXPECT_EQ(p.l3_offset, 14);
  EXPECT_EQ(p.l4_offset, 34);
  EXPECT_EQ(p.payload_offset, 42);
  EXPECT_EQ(p.payload_len, 172);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst_port, 20000);
  EXPECT_EQ(test::ip_bytes("192.0.2.1"), std::vector<uint8_t>(p.dst_addr, p.dst_addr + 4));
}

TEST(PacketParser, VlanTaggedIpv6MediaPacket) {
  auto s = media_spec();
  s.ipv6 = true;
  s.vlan = 101;
  s.src_ip = "2001:db8:1::10";
  s.dst_ip = "2001:db8:1::1";
  const auto p = parse(test::build_frame(s));
  ASSERT_EQ(p.verdict, Verdict::kMedia);
  EXPECT_EQ(p.family, channel::Family::kIPv6);
  EXPECT_EQ(p.vlan, 101);
  EXPECT_EQ(p.l3_offset, 18);
  EXPECT_EQ(p.payload_offset, 18 + 40 + 8);
}

TEST(PacketParser, NonMediaGoesToTheExceptionPath) {
  auto sip = media_spec();
  sip.dst_port = 5060;
  EXPECT_EQ(parse(test::build_frame(sip)).verdict, Verdict::kException);
  auto arp = test::build_frame(media_spec());
  arp[12] = 0x08;
  arp[13] = 0x06;
  EXPECT_EQ(parse(arp).verdict, Verdict::kException);
  auto icmp = test::build_frame(media_spec());
  icmp[14 + 9] = 1;
  EXPECT_EQ(parse(icmp).verdict, Verdict::kException);
}

struct DropCase {
  const char* name;
  std::vector<uint8_t> frame;
  channel::WorkerDrop reason;
};

std::vector<DropCase> drop_cases() {
  std::vector<DropCase> cases;
  const auto good = test::build_frame(media_spec());
  cases.push_back({"runt", {good.begin(), good.begin() + 10}, channel::kDropTooShort});
  cases.push_back({"truncated ip", {good.begin(), good.begin() + 30}, channel::kDropTooShort});
  cases.push_back({"truncated payload", {good.begin(), good.end() - 20}, channel::kDropTooShort});
  auto bad_version = good;
  bad_version[14] = 0x55;
  cases.push_back({"ip version 5", bad_version, channel::kDropMalformed});
  auto bad_ihl = good;
  bad_ihl[14] = 0x43;
  cases.push_back({"ihl 3", bad_ihl, channel::kDropMalformed});
  auto short_total = good;
  short_total[16] = 0;
  short_total[17] = 10;
  cases.push_back({"total length below header", short_total, channel::kDropMalformed});
  // IPv4 options: IHL 6 with 4 option bytes inserted before UDP.
  auto opts = good;
  opts[14] = 0x46;
  opts.insert(opts.begin() + 34, {1, 1, 1, 0});
  const uint16_t tl = static_cast<uint16_t>(test::be16(&opts[16]) + 4);
  opts[16] = static_cast<uint8_t>(tl >> 8);
  opts[17] = static_cast<uint8_t>(tl);
  cases.push_back({"ip options", opts, channel::kDropIpOptions});
  auto frag = good;
  frag[20] = 0x20;  // more fragments
  cases.push_back({"first fragment", frag, channel::kDropFragment});
  auto ttl0 = good;
  ttl0[22] = 0;
  cases.push_back({"ttl 0", ttl0, channel::kDropTtl});
  auto s = media_spec();
  s.payload.clear();
  cases.push_back({"zero-length udp", test::build_frame(s), channel::kDropUdpLength});
  auto udp_long = good;
  udp_long[38] = 0xff;
  cases.push_back({"udp length beyond ip", udp_long, channel::kDropUdpLength});
  auto qinq3 = good;
  for (int i = 0; i < 3; ++i) qinq3.insert(qinq3.begin() + 12, {0x81, 0x00, 0x00, 0x05});
  cases.push_back({"three vlan tags", qinq3, channel::kDropMalformed});
  return cases;
}

TEST(PacketParser, HostileFramesAreDroppedWithTheirReason) {
  for (const DropCase& c : drop_cases()) {
    const auto p = parse(c.frame);
    EXPECT_EQ(p.verdict, Verdict::kDrop) << c.name;
    EXPECT_EQ(p.drop, c.reason) << c.name;
  }
}

TEST(PacketParser, LaterFragmentsGoToTheKernel) {
  auto frag = test::build_frame(media_spec());
  frag[20] = 0x00;
  frag[21] = 0x10;  // offset 16 * 8 bytes: no UDP header in it
  EXPECT_EQ(parse(frag).verdict, Verdict::kException);
}

TEST(PacketParser, Ipv6FragmentHeaderOnMediaIsDropped) {
  auto s = media_spec();
  s.ipv6 = true;
  s.src_ip = "2001:db8:1::10";
  s.dst_ip = "2001:db8:1::1";
  auto f = test::build_frame(s);
  // Insert a fragment header (next header UDP, offset 0, M=1) after the fixed header.
  f.insert(f.begin() + 54, {17, 0, 0x00, 0x01, 0, 0, 0, 1});
  f[20] = 44;
  const uint16_t plen = static_cast<uint16_t>(test::be16(&f[18]) + 8);
  f[18] = static_cast<uint8_t>(plen >> 8);
  f[19] = static_cast<uint8_t>(plen);
  const auto p = parse(f);
  EXPECT_EQ(p.verdict, Verdict::kDrop);
  EXPECT_EQ(p.drop, channel::kDropFragment);
}

TEST(PacketParser, EveryTruncationOfAValidFrameIsHandled) {
  // No prefix of a valid frame may be read past its end or classified as media.
  const auto f = test::build_frame(media_spec());
  for (size_t len = 0; len < f.size(); ++len) {
    std::vector<uint8_t> cut(f.begin(), f.begin() + static_cast<long>(len));
    const auto p = dp::parse_frame(cut.data(), static_cast<uint32_t>(len), kMedia);
    EXPECT_NE(p.verdict, Verdict::kMedia) << len;
  }
}

}  // namespace
