#include <gtest/gtest.h>

#include "controlplane/limits/call_limiter.h"

using namespace trunkgate::cp;
using Clock = TokenBucket::Clock;
using std::chrono::milliseconds;

namespace {

TEST(CallLimiter, ConcurrencyCapRefusesUntilACallEnds) {
  CallLimiter lim({2, 0, 0});
  const auto t = Clock::now();
  unsigned retry = 0;
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kConcurrency);
  EXPECT_EQ(retry, 1u);
  lim.end_call();
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.active(), 2u);
}

TEST(CallLimiter, RateCapWithBurstAndRetryAfter) {
  CallLimiter lim({0, 2.0, 2.0});  // 2 calls/s, burst of 2
  const auto t = Clock::now();
  unsigned retry = 0;
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kRate);
  EXPECT_EQ(retry, 1u);  // half a second, rounded up to whole seconds
  EXPECT_EQ(lim.begin_call(false, t + milliseconds(499), retry), Admission::kRate);
  EXPECT_EQ(lim.begin_call(false, t + milliseconds(500), retry), Admission::kAdmitted);
}

TEST(CallLimiter, SlowRatesAskForLongerRetries) {
  CallLimiter lim({0, 0.1, 1});  // one call every 10 s
  const auto t = Clock::now();
  unsigned retry = 0;
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.begin_call(false, t + milliseconds(2000), retry), Admission::kRate);
  EXPECT_EQ(retry, 8u);
}

TEST(CallLimiter, EmergencyCallsPassBothLimitsButCount) {
  CallLimiter lim({1, 1.0, 1.0});
  const auto t = Clock::now();
  unsigned retry = 0;
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.begin_call(true, t, retry), Admission::kAdmitted);
  EXPECT_EQ(lim.active(), 2u);
  lim.end_call();
  EXPECT_EQ(lim.begin_call(false, t, retry), Admission::kConcurrency);
}

TEST(CallLimiter, ZeroMeansUnlimited) {
  CallLimiter lim({0, 0, 0});
  const auto t = Clock::now();
  unsigned retry = 0;
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(lim.begin_call(false, t, retry), Admission::kAdmitted);
}

}  // namespace
