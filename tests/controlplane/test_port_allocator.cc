#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "controlplane/media/port_allocator.h"
#include "dataplane/channel/client.h"
#include "dataplane/channel/schema.h"

using trunkgate::channel::IpAddr;
using trunkgate::channel::owner_of_port;
using trunkgate::cp::MediaPortAllocator;
using trunkgate::cp::PortSpace;

namespace {

IpAddr ip(const char* text) {
  IpAddr a{};
  EXPECT_TRUE(trunkgate::channel::parse_address(text, a)) << text;
  return a;
}

TEST(PortSpace, PortsOfAWorkerAreOwnedByIt) {
  PortSpace space(20000, 20099, 3);
  for (unsigned w = 0; w < 3; ++w) {
    const auto p = space.allocate_on(w);
    ASSERT_TRUE(p);
    EXPECT_EQ(owner_of_port(*p, 3), w);
    EXPECT_EQ(owner_of_port(*p + 1, 3), w);  // RTCP too
    EXPECT_EQ(*p % 2, 0);
  }
}

TEST(PortSpace, ExhaustionReleaseAndDoubleRelease) {
  PortSpace space(20000, 20007, 1);  // RTP ports 20000, 20002, 20004, 20006
  std::set<uint16_t> all;
  for (int i = 0; i < 4; ++i) all.insert(*space.allocate_on(0));
  EXPECT_EQ(all, (std::set<uint16_t>{20000, 20002, 20004, 20006}));
  EXPECT_FALSE(space.allocate_on(0));
  EXPECT_TRUE(space.release(20002));
  EXPECT_FALSE(space.release(20002));  // twice
  EXPECT_FALSE(space.release(20001));  // an RTCP port is never handed out
  EXPECT_FALSE(space.release(30000));  // not ours
  EXPECT_EQ(space.allocate_on(0), 20002);
}

TEST(PortSpace, OddMinimumStartsAtTheNextEvenPort) {
  PortSpace space(20001, 20010, 1);
  EXPECT_EQ(space.allocate_on(0), 20002);
  EXPECT_EQ(space.free_ports(0), 3u);  // 20004, 20006, 20008
}

TEST(MediaPortAllocator, BothLegsOfACallShareTheFirstLegsWorker) {
  MediaPortAllocator alloc(20000, 20099, 3);
  const std::vector<IpAddr> pbx = {ip("192.0.2.1")}, carrier = {ip("198.51.100.1")};
  std::set<unsigned> workers_used;
  for (int call = 0; call < 6; ++call) {
    const auto in = alloc.allocate(pbx);
    ASSERT_TRUE(in);
    const auto out = alloc.allocate_on(carrier, in->worker);
    ASSERT_TRUE(out);
    EXPECT_EQ(owner_of_port(in->rtp_port, 3), in->worker);
    EXPECT_EQ(owner_of_port(out->rtp_port, 3), in->worker);
    EXPECT_TRUE(trunkgate::cp::same_address(out->address, carrier[0]));
    workers_used.insert(in->worker);
  }
  EXPECT_EQ(workers_used.size(), 3u);  // calls spread over workers
}

TEST(MediaPortAllocator, EveryAddressHasAWholeRangeOfItsOwn) {
  MediaPortAllocator alloc(20000, 20001, 1);  // one RTP port (and its RTCP port) per address
  const std::vector<IpAddr> pbx = {ip("192.0.2.1")}, carrier = {ip("198.51.100.1")};
  const auto in = alloc.allocate(pbx);
  const auto out = alloc.allocate_on(carrier, 0);
  ASSERT_TRUE(in && out);
  EXPECT_EQ(in->rtp_port, 20000);
  EXPECT_EQ(out->rtp_port, 20000) << "the same port on another address is another flow key";
  EXPECT_FALSE(alloc.allocate(pbx));
  EXPECT_TRUE(alloc.release(*in));
  EXPECT_FALSE(alloc.release(*in));
  EXPECT_TRUE(alloc.allocate(pbx));
}

TEST(MediaPortAllocator, SpreadsOverAnInterfacesAddressesAndExhaustsThemAll) {
  MediaPortAllocator alloc(20000, 20003, 1);  // two RTP ports per address
  const std::vector<IpAddr> two = {ip("192.0.2.1"), ip("192.0.2.2")};
  std::vector<trunkgate::cp::MediaPort> got;
  for (int i = 0; i < 4; ++i) {
    const auto p = alloc.allocate(two);
    ASSERT_TRUE(p) << i;
    got.push_back(*p);
  }
  EXPECT_FALSE(alloc.allocate(two));
  EXPECT_TRUE(trunkgate::cp::same_address(got[0].address, two[0]));
  EXPECT_TRUE(trunkgate::cp::same_address(got[1].address, two[1])) << "the address with most free";
  EXPECT_EQ(alloc.free_ports(two[0], 0) + alloc.free_ports(two[1], 0), 0u);
}

TEST(MediaPortAllocator, NoAddressOrNoSuchWorkerIsNoPort) {
  MediaPortAllocator alloc(20000, 20099, 2);
  EXPECT_FALSE(alloc.allocate({}));
  const std::vector<IpAddr> pbx = {ip("192.0.2.1")};
  EXPECT_FALSE(alloc.allocate_on(pbx, 2));
}

TEST(MediaPortAllocator, SameAddressIgnoresTheUnusedBytesOfIpv4) {
  IpAddr a = ip("192.0.2.1"), b = ip("192.0.2.1");
  b.bytes[10] = 0x55;
  EXPECT_TRUE(trunkgate::cp::same_address(a, b));
  EXPECT_FALSE(trunkgate::cp::same_address(a, ip("192.0.2.2")));
  EXPECT_FALSE(trunkgate::cp::same_address(ip("::1"), ip("::2")));
}

}  // namespace
