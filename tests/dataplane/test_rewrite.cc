// Header templates, incremental checksums and RTP translation, checked against full checksum
// computation done by the test's own code.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dataplane/channel/client.h"
#include "dataplane/core/header_template.h"
#include "dataplane/core/packet_parser.h"
#include "dataplane/core/rtp_translation.h"
#include "dataplane/core/checksum.h"
#include "tests/dataplane/frames.h"

using namespace trunkgate;

namespace {

channel::Endpoint ep(const std::string& text) {
  channel::Endpoint e;
  std::string err;
  EXPECT_TRUE(channel::parse_endpoint(text, e, err)) << err;
  return e;
}

// Relays `in` through a template exactly as the worker does, returning the output frame.
std::vector<uint8_t> relay(const std::vector<uint8_t>& in, const dp::HeaderTemplate& t,
                           dp::RtpTranslation* xlate) {
  std::vector<uint8_t> f = in;
  const auto p = dp::parse_frame(f.data(), static_cast<uint32_t>(f.size()), {20000, 29999});
  EXPECT_EQ(p.verdict, dp::Verdict::kMedia);
  uint8_t* payload = f.data() + p.payload_offset;
  uint16_t sum = p.udp_checksum
                     ? dp::payload_sum_from_udp_checksum(p.family, p.src_addr, p.dst_addr,
                                                         f.data() + p.l4_offset)
                     : dp::csum_fold(dp::csum_add_bytes(payload, p.payload_len));
  if (xlate) sum = dp::translate_rtp(payload, *xlate, sum);
  std::vector<uint8_t> out(t.bytes, t.bytes + t.len);
  out.insert(out.end(), payload, payload + p.payload_len);
  dp::finish_headers(out.data(), t, p.payload_len, sum, false);
  return out;
}

dp::HeaderTemplate make_template(const std::string& src, const std::string& dst, uint16_t vlan,
                                 uint8_t dscp) {
  dp::TemplateParams tp{};
  const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x02};
  std::memcpy(tp.src_mac, mac, 6);
  tp.vlan = vlan;
  tp.dscp = dscp;
  tp.source = ep(src);
  tp.destination = ep(dst);
  dp::HeaderTemplate t{};
  EXPECT_TRUE(dp::build_template(tp, t));
  return t;
}

TEST(Rewrite, Ipv4RelayProducesValidChecksumsAndTheFlowsHeaders) {
  test::FrameSpec s;
  s.payload = test::rtp_payload(7, 1120, 0xabcdef01);
  const auto in = test::build_frame(s);
  const auto t = make_template("198.51.100.1:20002", "198.51.100.10:30000", 0, 46);
  const auto out = relay(in, t, nullptr);
  ASSERT_EQ(out.size(), 14 + 20 + 8 + s.payload.size());
  EXPECT_TRUE(test::checksums_valid(out, 14));
  EXPECT_EQ(out[15], 46 << 2);  // DSCP EF
  EXPECT_EQ(out[22], 64);       // TTL
  EXPECT_EQ(test::ip_bytes("198.51.100.1"), std::vector<uint8_t>(&out[26], &out[30]));
  EXPECT_EQ(test::ip_bytes("198.51.100.10"), std::vector<uint8_t>(&out[30], &out[34]));
  EXPECT_EQ(test::be16(&out[34]), 20002);
  EXPECT_EQ(test::be16(&out[36]), 30000);
  EXPECT_EQ(0, std::memcmp(&out[42], s.payload.data(), s.payload.size()));
}

TEST(Rewrite, SenderWithoutUdpChecksumGetsOneComputed) {
  test::FrameSpec s;
  s.udp_checksum = false;
  s.payload = test::rtp_payload(9, 0, 1, 33);  // odd length exercises the padding byte
  const auto out = relay(test::build_frame(s),
                         make_template("198.51.100.1:20002", "198.51.100.10:30000", 0, 46), nullptr);
  EXPECT_TRUE(test::checksums_valid(out, 14));
}

// The word-at-a-time payload sum against the RFC 1071 16-bit loop: every length up to a jumbo
// RTP packet, every alignment, random bytes and all-ones (the most carries).
TEST(Rewrite, PayloadOnesSumEqualsTheSixteenBitSum) {
  std::vector<uint8_t> random(1600 + 3), ones(1600 + 3, 0xff);
  uint32_t x = 0x12345678;
  for (uint8_t& b : random) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<uint8_t>(x >> 24);
  }
  for (const auto* data : {&random, &ones}) {
    for (size_t offset = 0; offset < 4; ++offset) {
      for (size_t len = 0; len <= 1600; ++len) {
        const uint8_t* p = data->data() + offset;
        ASSERT_EQ(dp::payload_ones_sum(p, len), dp::csum_fold(dp::csum_add_bytes(p, len)))
            << "length " << len << " offset " << offset;
      }
    }
  }
}

TEST(Rewrite, Ipv4ToIpv6WithVlanAcrossFamilies) {
  test::FrameSpec s;
  s.payload = test::rtp_payload(1, 2, 3);
  const auto t = make_template("[2001:db8:2::1]:20002", "[2001:db8:2::10]:30000", 300, 34);
  const auto out = relay(test::build_frame(s), t, nullptr);
  ASSERT_EQ(test::be16(&out[12]), 0x8100);
  EXPECT_EQ(test::be16(&out[14]) & 0xfff, 300);
  EXPECT_EQ(test::be16(&out[16]), 0x86dd);
  EXPECT_TRUE(test::checksums_valid(out, 18));
  EXPECT_EQ((test::be32(&out[18]) >> 22) & 0x3f, 34u);  // DSCP in the traffic class
}

TEST(Rewrite, TranslationRewritesSsrcAndKeepsSequenceContinuousAcrossSsrcChange) {
  const auto t = make_template("198.51.100.1:20002", "198.51.100.10:30000", 0, 46);
  dp::RtpTranslation x{};
  x.out_ssrc = 0x55667788;
  uint16_t expected_seq = 0;
  uint32_t expected_ts = 0;
  for (int i = 0; i < 3; ++i) {
    test::FrameSpec s;
    s.payload = test::rtp_payload(static_cast<uint16_t>(100 + i), 8000u + 160u * i, 0x1111);
    const auto out = relay(test::build_frame(s), t, &x);
    EXPECT_TRUE(test::checksums_valid(out, 14));
    EXPECT_EQ(test::be32(&out[42 + 8]), 0x55667788u);
    expected_seq = static_cast<uint16_t>(test::be16(&out[44]) + 1);
    expected_ts = test::be32(&out[46]) + dp::kSsrcChangeTimestampGap;
  }
  // A new incoming SSRC (say, after a re-INVITE) with unrelated numbering continues the stream.
  test::FrameSpec s;
  s.payload = test::rtp_payload(5000, 999999, 0x2222);
  const auto out = relay(test::build_frame(s), t, &x);
  EXPECT_TRUE(test::checksums_valid(out, 14));
  EXPECT_EQ(test::be16(&out[44]), expected_seq);
  EXPECT_EQ(test::be32(&out[46]), expected_ts);
  EXPECT_EQ(test::be32(&out[50]), 0x55667788u);
}

TEST(Rewrite, OffloadLeavesThePseudoHeaderSumForTheNic) {
  const auto t = make_template("198.51.100.1:20002", "198.51.100.10:30000", 0, 46);
  std::vector<uint8_t> out(t.bytes, t.bytes + t.len);
  out.resize(out.size() + 20, 0);
  dp::finish_headers(out.data(), t, 20, 0, true);
  EXPECT_EQ(test::be16(&out[24]), 0);  // IPv4 header checksum left to the NIC
  // Pseudo-header sum: addresses + protocol + UDP length, not complemented.
  uint32_t sum = 0xc633 + 0x6401 + 0xc633 + 0x640a + 17 + 28;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  EXPECT_EQ(test::be16(&out[40]), sum);
}

}  // namespace
