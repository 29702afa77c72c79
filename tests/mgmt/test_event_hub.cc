// EventHub: every watcher gets every event in order; a watcher that does not read loses the
// oldest beyond its bound, and the next event it gets says how many; close_all ends waits.
#include "mgmt/server/event_hub.h"

#include <gtest/gtest.h>

#include <thread>

namespace trunkgate::mgmt {
namespace {

v1::CallEvent event(uint64_t call) {
  v1::CallEvent e;
  e.set_kind("setup");
  e.set_call(call);
  return e;
}

TEST(EventHub, EveryWatcherGetsEveryEventInOrder) {
  EventHub hub;
  auto a = hub.subscribe(), b = hub.subscribe();
  for (uint64_t i = 1; i <= 3; ++i) hub.publish(event(i));
  for (auto& w : {a, b})
    for (uint64_t i = 1; i <= 3; ++i) {
      auto e = w->next(std::chrono::milliseconds(0));
      ASSERT_TRUE(e);
      EXPECT_EQ(e->call(), i);
      EXPECT_EQ(e->lost_before(), 0u);
    }
  EXPECT_FALSE(a->next(std::chrono::milliseconds(0)));
}

TEST(EventHub, ASlowWatcherLosesTheOldestAndIsToldHowMany) {
  EventHub hub;
  auto w = hub.subscribe();
  const uint64_t extra = 5;
  for (uint64_t i = 1; i <= EventHub::kMaxQueued + extra; ++i) hub.publish(event(i));
  auto first = w->next(std::chrono::milliseconds(0));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->call(), extra + 1);  // 1..5 were dropped
  size_t left = 1;
  while (w->next(std::chrono::milliseconds(0))) ++left;
  EXPECT_EQ(left, EventHub::kMaxQueued);
  hub.publish(event(9999));
  EXPECT_EQ(w->next(std::chrono::milliseconds(0))->lost_before(), extra);
}

TEST(EventHub, ReleasedWatchersAreForgottenAndCloseAllEndsAWait) {
  EventHub hub;
  auto w = hub.subscribe();
  hub.subscribe();  // released at once
  hub.publish(event(1));
  EXPECT_EQ(hub.watchers(), 1u);
  w->next(std::chrono::milliseconds(0));
  std::thread closer([&] { hub.close_all(); });
  // Returns when closed (the wait bound is far beyond what the test needs).
  EXPECT_FALSE(w->next(std::chrono::seconds(30)));
  closer.join();
  EXPECT_TRUE(w->closed());
}

TEST(EventHub, APublishWakesAWaitingWatcher) {
  EventHub hub;
  auto w = hub.subscribe();
  std::thread publisher([&] { hub.publish(event(7)); });
  auto e = w->next(std::chrono::seconds(30));
  publisher.join();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->call(), 7u);
}

}  // namespace
}  // namespace trunkgate::mgmt
