#include "sip/transport/event_loop.h"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <vector>

#include "tests/sip/transport/loop_helpers.h"

namespace trunkgate::sip {
namespace {

using std::chrono::milliseconds;

TEST(EventLoop, TimersRunInDeadlineOrderAndCancelledOnesNever) {
  EventLoop loop;
  std::vector<int> order;
  loop.AddTimer(milliseconds(3), [&] { order.push_back(3); });
  loop.AddTimer(milliseconds(1), [&] { order.push_back(1); });
  const TimerId cancelled = loop.AddTimer(milliseconds(2), [&] { order.push_back(2); });
  loop.AddTimer(milliseconds(1), [&] { order.push_back(10); });  // same deadline: FIFO
  loop.CancelTimer(cancelled);
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return order.size() == 3; }));
  EXPECT_EQ(order, (std::vector<int>{1, 10, 3}));
  EXPECT_EQ(loop.pending_timers(), 0u);
}

TEST(EventLoop, CancelledTimersDoNotAccumulate) {
  EventLoop loop;
  for (int i = 0; i < 100000; ++i) loop.CancelTimer(loop.AddTimer(std::chrono::hours(1), [] {}));
  EXPECT_EQ(loop.pending_timers(), 0u);
  EXPECT_LE(loop.heap_size(), 1025u);
  bool fired = false;
  loop.AddTimer(milliseconds(0), [&] { fired = true; });
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return fired; }));
}

TEST(EventLoop, TimerAddedFromATimerRuns) {
  EventLoop loop;
  int fired = 0;
  loop.AddTimer(milliseconds(0), [&] { loop.AddTimer(milliseconds(0), [&] { ++fired; }); });
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return fired == 1; }));
}

TEST(EventLoop, DispatchesReadinessAndStopsAfterUnwatch) {
  EventLoop loop;
  const int fd = eventfd(0, EFD_NONBLOCK);
  int calls = 0;
  loop.Watch(fd, EPOLLIN, [&](std::uint32_t events) {
    EXPECT_TRUE(events & EPOLLIN);
    ++calls;
    loop.Unwatch(fd);  // from inside its own callback
  });
  const std::uint64_t one = 1;
  ASSERT_EQ(write(fd, &one, sizeof one), static_cast<ssize_t>(sizeof one));
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return calls == 1; }));
  loop.RunOnce(milliseconds(0));  // still readable, but no longer watched
  EXPECT_EQ(calls, 1);
  close(fd);
}

TEST(EventLoop, RunUntilGivesUpAtTheDeadline) {
  EventLoop loop;
  EXPECT_FALSE(loop.RunUntil([] { return false; }, SteadyClock::now() + milliseconds(5)));
}

}  // namespace
}  // namespace trunkgate::sip
