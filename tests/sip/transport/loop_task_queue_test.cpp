// LoopTaskQueue: tasks posted from other threads run on the loop's thread, all of them, in each
// poster's order; the loop wakes for them (no timer needed); close() refuses and drops.
#include "sip/transport/loop_task_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace trunkgate::sip {
namespace {

TEST(LoopTaskQueue, TasksFromOtherThreadsRunOnTheLoopThreadInPostingOrder) {
  EventLoop loop;
  LoopTaskQueue queue(loop);
  constexpr int kThreads = 4, kTasks = 500;
  const auto loop_thread = std::this_thread::get_id();
  std::vector<std::vector<int>> seen(kThreads);
  std::atomic<int> wrong_thread{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < kThreads; ++t)
    posters.emplace_back([&, t] {
      for (int i = 0; i < kTasks; ++i)
        ASSERT_TRUE(queue.post([&, t, i] {
          if (std::this_thread::get_id() != loop_thread) ++wrong_thread;
          seen[t].push_back(i);
        }));
    });
  const bool all = loop.RunUntil([&] { return queue.ran() == kThreads * kTasks; },
                                 SteadyClock::now() + std::chrono::seconds(10));
  for (auto& p : posters) p.join();
  ASSERT_TRUE(all) << queue.ran() << " tasks ran";
  EXPECT_EQ(wrong_thread, 0);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(seen[t].size(), size_t{kTasks});
    for (int i = 0; i < kTasks; ++i) EXPECT_EQ(seen[t][i], i) << "poster " << t;
  }
}

// The eventfd wakes a loop that would otherwise sleep for its whole wait: one RunOnce with a long
// maximum returns having run the task posted while it waited.
TEST(LoopTaskQueue, PostWakesAWaitingLoop) {
  EventLoop loop;
  LoopTaskQueue queue(loop);
  bool ran = false;
  std::thread poster([&] { queue.post([&] { ran = true; }); });
  const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
  while (!ran && SteadyClock::now() < deadline) loop.RunOnce(std::chrono::seconds(10));
  poster.join();
  EXPECT_TRUE(ran);
}

TEST(LoopTaskQueue, TaskPostedByATaskRunsOnALaterPass) {
  EventLoop loop;
  LoopTaskQueue queue(loop);
  int order = 0, first = 0, second = 0;
  queue.post([&] {
    first = ++order;
    queue.post([&] { second = ++order; });
  });
  EXPECT_TRUE(
      loop.RunUntil([&] { return second != 0; }, SteadyClock::now() + std::chrono::seconds(5)));
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 2);
  EXPECT_EQ(queue.ran(), 2u);
}

TEST(LoopTaskQueue, CloseDropsQueuedTasksAndRefusesNewOnes) {
  EventLoop loop;
  LoopTaskQueue queue(loop);
  bool ran = false;
  EXPECT_TRUE(queue.post([&] { ran = true; }));
  queue.close();
  EXPECT_FALSE(queue.post([&] { ran = true; }));
  for (int i = 0; i < 3; ++i) loop.RunOnce(std::chrono::milliseconds(1));
  EXPECT_FALSE(ran);
  EXPECT_EQ(queue.ran(), 0u);
}

}  // namespace
}  // namespace trunkgate::sip
