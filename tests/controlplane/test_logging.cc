// logfmt fields (quoting and escaping of hostile values) and the rate limiter of hostile-input
// lines, on a hand-driven clock.
#include <gtest/gtest.h>

#include "controlplane/logging/log_fields.h"
#include "controlplane/logging/log_rate_limiter.h"

namespace trunkgate::cp {
namespace {

using std::chrono::seconds;
using Clock = LogRateLimiter::Clock;

std::string field(std::string_view value) {
  std::string line;
  logkv::append(line, "k", value);
  return line;
}

TEST(LogFields, PlainValuesStayBareOthersAreQuotedAndEscaped) {
  EXPECT_EQ(field("carrier"), " k=carrier");
  EXPECT_EQ(field("198.51.100.10:5060"), " k=198.51.100.10:5060");
  EXPECT_EQ(field(""), " k=\"\"");
  EXPECT_EQ(field("486 Busy Here"), " k=\"486 Busy Here\"");
  EXPECT_EQ(field("a=b"), " k=\"a=b\"");
  EXPECT_EQ(field("say \"hi\""), " k=\"say \\\"hi\\\"\"");
  // A peer's line break must not start a forged log line.
  EXPECT_EQ(field("x\nts=0 level=error"), " k=\"x\\nts=0 level=error\"");
  EXPECT_EQ(field(std::string_view("a\0b\x7f", 4)), " k=\"a\\x00b\\x7f\"");
  EXPECT_EQ(field("back\\slash"), " k=\"back\\\\slash\"");
}

TEST(LogFields, IntegersAndPairs) {
  std::string line;
  logkv::append_all(line, "call", uint64_t{17}, "status", 503, "trunk", "pbx");
  EXPECT_EQ(line, " call=17 status=503 trunk=pbx");
}

TEST(LogRateLimiter, AllowsTheBoundPerIntervalThenSummarisesOnce) {
  LogRateLimiter limiter(3, seconds(10));
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow(t0 + seconds(i))) << i;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.allow(t0 + seconds(5)));
  EXPECT_EQ(limiter.suppressed_total(), 5u);
  // Not before the interval is over.
  EXPECT_EQ(limiter.take_suppressed(t0 + seconds(9)), std::nullopt);
  EXPECT_EQ(limiter.take_suppressed(t0 + seconds(10)), 5u);
  EXPECT_EQ(limiter.take_suppressed(t0 + seconds(11)), std::nullopt);  // once
  // The new interval started at 10 s: three more lines.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow(t0 + seconds(11)));
  EXPECT_FALSE(limiter.allow(t0 + seconds(19)));
  EXPECT_TRUE(limiter.allow(t0 + seconds(20)));  // next interval
  EXPECT_EQ(limiter.take_suppressed(t0 + seconds(20)), 1u);
  EXPECT_EQ(limiter.suppressed_total(), 6u);
}

TEST(LogRateLimiter, NothingSuppressedNothingToSummarise) {
  LogRateLimiter limiter(2, seconds(1));
  const Clock::time_point t0{};
  EXPECT_TRUE(limiter.allow(t0));
  EXPECT_EQ(limiter.take_suppressed(t0 + seconds(5)), std::nullopt);
  EXPECT_EQ(limiter.suppressed_total(), 0u);
}

TEST(LogRateLimiter, SuppressedCountsSurviveAnAllowBeforeTheSummary) {
  // allow() in a new interval before take_suppressed(): the old interval's count is kept.
  LogRateLimiter limiter(1, seconds(10));
  const Clock::time_point t0{};
  EXPECT_TRUE(limiter.allow(t0));
  EXPECT_FALSE(limiter.allow(t0 + seconds(1)));
  EXPECT_FALSE(limiter.allow(t0 + seconds(2)));
  EXPECT_TRUE(limiter.allow(t0 + seconds(30)));
  EXPECT_EQ(limiter.take_suppressed(t0 + seconds(30)), 2u);
}

}  // namespace
}  // namespace trunkgate::cp
