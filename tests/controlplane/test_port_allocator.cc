#include <gtest/gtest.h>

#include <set>

#include "controlplane/media/port_allocator.h"
#include "dataplane/channel/schema.h"

using trunkgate::cp::MediaPortAllocator;
using trunkgate::channel::owner_of_port;

namespace {

TEST(MediaPortAllocator, BothLegsOfACallShareTheOwningWorker) {
  MediaPortAllocator alloc(20000, 20099, 3);
  std::set<unsigned> workers_used;
  for (int call = 0; call < 6; ++call) {
    const auto pair = alloc.allocate_pair();
    ASSERT_TRUE(pair);
    EXPECT_EQ(owner_of_port(pair->a, 3), pair->worker);
    EXPECT_EQ(owner_of_port(pair->b, 3), pair->worker);
    EXPECT_EQ(owner_of_port(pair->a + 1, 3), pair->worker);  // RTCP too
    EXPECT_EQ(pair->a % 2, 0);
    EXPECT_NE(pair->a, pair->b);
    workers_used.insert(pair->worker);
  }
  EXPECT_EQ(workers_used.size(), 3u);  // calls spread over workers
}

TEST(MediaPortAllocator, ExhaustionReleaseAndDoubleRelease) {
  MediaPortAllocator alloc(20000, 20007, 1);  // RTP ports 20000, 20002, 20004, 20006
  const auto p1 = alloc.allocate_pair();
  const auto p2 = alloc.allocate_pair();
  ASSERT_TRUE(p1 && p2);
  EXPECT_FALSE(alloc.allocate_pair());
  std::set<uint16_t> all = {p1->a, p1->b, p2->a, p2->b};
  EXPECT_EQ(all, (std::set<uint16_t>{20000, 20002, 20004, 20006}));
  EXPECT_TRUE(alloc.release(p1->a));
  EXPECT_FALSE(alloc.release(p1->a));   // twice
  EXPECT_FALSE(alloc.release(20001));   // an RTCP port is never handed out
  EXPECT_FALSE(alloc.release(30000));   // not ours
  EXPECT_FALSE(alloc.allocate_pair());  // one free port is not a pair
  EXPECT_EQ(alloc.allocate_on(0), p1->a);
}

TEST(MediaPortAllocator, OddMinimumStartsAtTheNextEvenPort) {
  MediaPortAllocator alloc(20001, 20010, 1);
  EXPECT_EQ(alloc.allocate_on(0), 20002);
  EXPECT_EQ(alloc.free_ports(0), 3u);  // 20004, 20006, 20008
}

}  // namespace
