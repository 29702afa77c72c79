// ARP/ND frames the main lcore builds and what it learns from frames it sees.
#include <gtest/gtest.h>

#include <cstring>

#include "dataplane/channel/client.h"
#include "dataplane/core/neighbor_discovery.h"
#include "tests/dataplane/frames.h"

using namespace trunkgate;

namespace {

const uint8_t kMac[6] = {0x02, 0, 0, 0, 0, 0x01};

uint16_t fold(uint32_t s) {
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return static_cast<uint16_t>(s);
}

TEST(NeighborDiscovery, ArpRequestIsABroadcastWhoHasFromOurAddress) {
  uint8_t f[dp::kMaxResolutionFrame];
  const auto sender = test::ip_bytes("192.0.2.1"), target = test::ip_bytes("192.0.2.10");
  const size_t len = dp::build_arp_request(f, kMac, 0, sender.data(), target.data());
  ASSERT_EQ(len, 60u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(f[i], 0xff);
  EXPECT_EQ(test::be16(f + 12), 0x0806);
  EXPECT_EQ(test::be16(f + 20), 1);  // request
  EXPECT_EQ(0, std::memcmp(f + 22, kMac, 6));
  EXPECT_EQ(0, std::memcmp(f + 28, sender.data(), 4));
  EXPECT_EQ(0, std::memcmp(f + 38, target.data(), 4));
}

TEST(NeighborDiscovery, VlanTaggedArpRequest) {
  uint8_t f[dp::kMaxResolutionFrame];
  const auto a = test::ip_bytes("192.0.2.1");
  dp::build_arp_request(f, kMac, 42, a.data(), a.data());
  EXPECT_EQ(test::be16(f + 12), 0x8100);
  EXPECT_EQ(test::be16(f + 14), 42);
  EXPECT_EQ(test::be16(f + 16), 0x0806);
}

TEST(NeighborDiscovery, NeighborSolicitationGoesToTheSolicitedNodeGroupWithAValidChecksum) {
  uint8_t f[dp::kMaxResolutionFrame];
  const auto src = test::ip_bytes("2001:db8:1::1"), target = test::ip_bytes("2001:db8:1::abcd:1234");
  const size_t len = dp::build_neighbor_solicitation(f, kMac, 0, src.data(), target.data());
  ASSERT_EQ(len, 14u + 40 + 32);
  const uint8_t group_mac[6] = {0x33, 0x33, 0xff, 0xcd, 0x12, 0x34};
  EXPECT_EQ(0, std::memcmp(f, group_mac, 6));
  EXPECT_EQ(f[14 + 7], 255);  // hop limit
  EXPECT_EQ(test::ip_bytes("ff02::1:ffcd:1234"), std::vector<uint8_t>(f + 38, f + 54));
  uint32_t sum = 0;
  for (size_t i = 22; i < 54; i += 2) sum += test::be16(f + i);  // addresses
  sum += 32 + 58;
  for (size_t i = 54; i < len; i += 2) sum += test::be16(f + i);
  EXPECT_EQ(fold(sum), 0xffff);
}

TEST(NeighborDiscovery, LearnsFromArpRepliesAndRequests) {
  uint8_t f[dp::kMaxResolutionFrame];
  const auto peer = test::ip_bytes("192.0.2.10"), us = test::ip_bytes("192.0.2.1");
  const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x10};
  dp::build_arp_request(f, peer_mac, 0, peer.data(), us.data());  // the peer asking for us
  dp::LearnedNeighbor n{};
  ASSERT_TRUE(dp::learn_neighbor(f, 60, n));
  EXPECT_EQ(channel::to_string(n.addr), "192.0.2.10");
  EXPECT_EQ(0, std::memcmp(n.mac, peer_mac, 6));
  f[21] = 2;  // as a reply
  ASSERT_TRUE(dp::learn_neighbor(f, 60, n));
  f[21] = 3;  // RARP: not learned
  EXPECT_FALSE(dp::learn_neighbor(f, 60, n));
  EXPECT_FALSE(dp::learn_neighbor(f, 30, n));  // truncated
}

TEST(NeighborDiscovery, LearnsFromNeighborAdvertisementsAndIgnoresDadProbes) {
  uint8_t f[dp::kMaxResolutionFrame];
  const auto peer = test::ip_bytes("2001:db8:1::10"), us = test::ip_bytes("2001:db8:1::1");
  const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x10};
  // A solicitation from the peer carries its source link-layer address.
  const size_t len = dp::build_neighbor_solicitation(f, peer_mac, 0, peer.data(), us.data());
  dp::LearnedNeighbor n{};
  ASSERT_TRUE(dp::learn_neighbor(f, static_cast<uint32_t>(len), n));
  EXPECT_EQ(channel::to_string(n.addr), "2001:db8:1::10");
  EXPECT_EQ(0, std::memcmp(n.mac, peer_mac, 6));
  // Turn it into an advertisement for the peer's address with a target link-layer option.
  f[54] = 136;
  std::memcpy(f + 62, peer.data(), 16);
  f[78] = 2;
  ASSERT_TRUE(dp::learn_neighbor(f, static_cast<uint32_t>(len), n));
  EXPECT_EQ(channel::to_string(n.addr), "2001:db8:1::10");
  // Duplicate address detection probes come from :: and teach nothing.
  f[54] = 135;
  f[78] = 1;
  std::memset(f + 22, 0, 16);
  EXPECT_FALSE(dp::learn_neighbor(f, static_cast<uint32_t>(len), n));
  // An option with length 0 would loop forever: rejected.
  std::memcpy(f + 22, peer.data(), 16);
  f[79] = 0;
  EXPECT_FALSE(dp::learn_neighbor(f, static_cast<uint32_t>(len), n));
}

}  // namespace
