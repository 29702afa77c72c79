#include "sip/dns/dns_records.h"

#include <gtest/gtest.h>

#include "sip/dns/server_locator.h"
#include "sip/dns/ttl_cache.h"

namespace trunkgate::sip {
namespace {

RandomSource Always(std::uint32_t value) {
  return [value](std::uint32_t bound) { return std::min(value, bound); };
}

std::vector<std::string> Targets(const std::vector<SrvRecord>& records) {
  std::vector<std::string> names;
  for (const auto& r : records) names.push_back(r.target);
  return names;
}

TEST(OrderSrvRecords, LowerPriorityFirstAndDeadTargetsDropped) {
  const std::vector<SrvRecord> records = {
      {20, 0, 5060, "backup"}, {10, 0, 5060, "primary"}, {5, 0, 5060, "."}};
  EXPECT_EQ(Targets(OrderSrvRecords(records, Always(0))),
            (std::vector<std::string>{"primary", "backup"}));
}

TEST(OrderSrvRecords, WeightedDrawFollowsTheRunningSum) {
  const std::vector<SrvRecord> records = {
      {10, 10, 5060, "light"}, {10, 20, 5060, "heavy"}, {10, 0, 5060, "zero"}};
  // Draw 0 takes the zero-weight record, which RFC 2782 puts first.
  EXPECT_EQ(Targets(OrderSrvRecords(records, Always(0))),
            (std::vector<std::string>{"zero", "light", "heavy"}));
  // Draw 15: running sums 0 (zero), 10 (light), 30 (heavy): heavy is the first >= 15; then of
  // zero and light (sum 10), 15 is capped at 10: light.
  EXPECT_EQ(Targets(OrderSrvRecords(records, Always(15))),
            (std::vector<std::string>{"heavy", "light", "zero"}));
}

TEST(OrderSrvRecords, DefaultRandomStaysWithinTheBound) {
  const RandomSource random = DefaultRandomSource();
  for (int i = 0; i < 100; ++i) EXPECT_LE(random(3), 3u);
}

TEST(SelectSipNaptrs, SortsAndKeepsOnlySipServicesWithFlagS) {
  const std::vector<NaptrRecord> records = {{20, 10, "s", "SIP+D2U", "_sip._udp.x"},
                                            {10, 20, "s", "SIP+D2T", "_sip._tcp.x"},
                                            {10, 10, "S", "SIPS+D2T", "_sips._tcp.x"},
                                            {10, 5, "s", "SIP+D2S", "_sip._sctp.x"},
                                            {10, 5, "u", "E2U+sip", "!^.*$!sip:a@x!"}};
  const auto all = SelectSipNaptrs(records, false);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].srv_name, "_sips._tcp.x");
  EXPECT_EQ(all[0].protocol, TransportProtocol::kTls);
  EXPECT_EQ(all[1].srv_name, "_sip._tcp.x");
  EXPECT_EQ(all[2].srv_name, "_sip._udp.x");
  const auto tls = SelectSipNaptrs(records, true);
  ASSERT_EQ(tls.size(), 1u);
  EXPECT_EQ(tls[0].protocol, TransportProtocol::kTls);
}

TEST(TtlCache, ExpiresWithTheTtlCappedByMaxTtl) {
  SteadyClock::time_point now{};
  TtlCache<int> cache(4, std::chrono::seconds(60), [&] { return now; });
  cache.Put("a", 1, std::chrono::seconds(10));
  cache.Put("b", 2, std::chrono::seconds(3600));  // capped at 60
  now += std::chrono::seconds(9);
  EXPECT_EQ(cache.Get("a"), 1);
  now += std::chrono::seconds(1);
  EXPECT_FALSE(cache.Get("a"));
  now += std::chrono::seconds(49);
  EXPECT_EQ(cache.Get("b"), 2);
  now += std::chrono::seconds(1);
  EXPECT_FALSE(cache.Get("b"));
}

TEST(TtlCache, StaysBoundedByEvictingWhatExpiresFirst) {
  SteadyClock::time_point now{};
  TtlCache<int> cache(2, std::chrono::seconds(600), [&] { return now; });
  cache.Put("long", 1, std::chrono::seconds(500));
  cache.Put("short", 2, std::chrono::seconds(5));
  cache.Put("new", 3, std::chrono::seconds(100));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.Get("short"));
  EXPECT_EQ(cache.Get("long"), 1);
  EXPECT_EQ(cache.Get("new"), 3);
}

TEST(TargetFailover, MovesOnOnTransportErrorsTimeoutsAnd503Only) {
  EXPECT_TRUE(TargetFailover::ShouldFailOver(std::nullopt));
  EXPECT_TRUE(TargetFailover::ShouldFailOver(503));
  EXPECT_TRUE(TargetFailover::ShouldFailOver(408));
  EXPECT_FALSE(TargetFailover::ShouldFailOver(486));
  EXPECT_FALSE(TargetFailover::ShouldFailOver(404));
  TargetFailover failover(
      {TransportTarget{TransportProtocol::kTcp, *Endpoint::Parse("192.0.2.1", 5060), 0, ""},
       TransportTarget{TransportProtocol::kUdp, *Endpoint::Parse("192.0.2.2", 5060), 0, ""}});
  EXPECT_EQ(failover.current()->protocol, TransportProtocol::kTcp);
  EXPECT_TRUE(failover.Advance());
  EXPECT_EQ(failover.current()->endpoint.address(), "192.0.2.2");
  EXPECT_FALSE(failover.Advance());
  EXPECT_EQ(failover.current(), nullptr);
}

}  // namespace
}  // namespace trunkgate::sip
