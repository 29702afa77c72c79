#include "controlplane/trunks/trunk_monitor.h"

#include <gtest/gtest.h>

#include "tests/controlplane/trunks/scripted_sip_services.h"

namespace trunkgate::cp {
namespace {

using std::chrono::seconds;
using testing::header;
using testing::ScriptedSipServices;

Trunk monitored(std::string name, std::string host, unsigned interval_s) {
  Trunk t;
  t.name = std::move(name);
  t.peer_host = std::move(host);
  t.peer_port = 5060;
  t.options_keepalive_s = interval_s;
  return t;
}

class KeepaliveTest : public ::testing::Test {
 protected:
  KeepaliveTest() { sip.dns["203.0.113.5"] = {ScriptedSipServices::target("203.0.113.5", 5060)}; }
  std::unique_ptr<TrunkMonitor> make(const std::vector<Trunk>& trunks,
                                     TrunkMonitorOptions options = {}) {
    return std::make_unique<TrunkMonitor>(
        sip, trunks,
        [this](const std::string& trunk, bool up) {
          changes.push_back(trunk + (up ? " up" : " down"));
        },
        options);
  }

  ScriptedSipServices sip;
  std::vector<std::string> changes;
};

TEST_F(KeepaliveTest, SendsAnOptionsRequestPerIntervalWithTheRequiredHeaders) {
  const std::vector<Trunk> trunks = {monitored("carrier", "203.0.113.5", 30)};
  auto monitor = make(trunks);
  monitor->start();
  ASSERT_EQ(sip.sent.size(), 1u);
  const sip::SipMessage& options = sip.last();
  EXPECT_EQ(options.method_text(), "OPTIONS");
  EXPECT_EQ(options.request_uri_text(), "sip:203.0.113.5:5060");
  EXPECT_TRUE(header(options, sip::HeaderId::kFrom).starts_with("<sip:192.0.2.10:5060>;tag="));
  EXPECT_EQ(header(options, sip::HeaderId::kTo), "<sip:203.0.113.5:5060>");
  EXPECT_EQ(header(options, sip::HeaderId::kCSeq), "1 OPTIONS");
  EXPECT_EQ(header(options, sip::HeaderId::kMaxForwards), "70");
  EXPECT_EQ(header(options, sip::HeaderId::kContact), "<sip:192.0.2.10:5060>");
  EXPECT_EQ(header(options, sip::HeaderId::kAccept), "application/sdp");
  EXPECT_EQ(sip.sent[0].target.endpoint.ToString(), "203.0.113.5:5060");
  const std::string first_call_id(options.call_id());
  EXPECT_FALSE(first_call_id.empty());

  sip.respond(0, 200, "OK");
  sip.clock.advance(seconds(29));
  EXPECT_EQ(sip.sent.size(), 1u);
  sip.clock.advance(seconds(1));
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kCSeq), "2 OPTIONS");
  EXPECT_NE(sip.last().call_id(), first_call_id);
  EXPECT_TRUE(monitor->is_up("carrier"));
  EXPECT_EQ(monitor->counters("carrier").sent, 2u);
  EXPECT_EQ(monitor->counters("carrier").answered, 1u);
}

TEST_F(KeepaliveTest, TimeoutTakesTheTrunkDownAndAnyAnswerBringsItBack) {
  const std::vector<Trunk> trunks = {monitored("carrier", "203.0.113.5", 30)};
  auto monitor = make(trunks);
  monitor->start();
  EXPECT_TRUE(monitor->is_up("carrier"));  // up until proven down
  sip.fail(0);
  EXPECT_FALSE(monitor->is_up("carrier"));
  sip.clock.advance(seconds(30));
  sip.respond(1, 404, "Not Found");  // refusing OPTIONS, yet alive
  EXPECT_TRUE(monitor->is_up("carrier"));
  EXPECT_EQ(changes, (std::vector<std::string>{"carrier down", "carrier up"}));
  const KeepaliveCounters counters = monitor->counters("carrier");
  EXPECT_EQ(counters.sent, 2u);
  EXPECT_EQ(counters.answered, 1u);
  EXPECT_EQ(counters.failed, 1u);
}

TEST_F(KeepaliveTest, ConfiguredFailureCountBeforeDown) {
  const std::vector<Trunk> trunks = {monitored("carrier", "203.0.113.5", 30)};
  auto monitor = make(trunks, {.failures_before_down = 2});
  monitor->start();
  sip.fail(0);
  EXPECT_TRUE(monitor->is_up("carrier"));
  sip.clock.advance(seconds(30));
  sip.respond(1, 200, "OK");  // resets the count
  sip.clock.advance(seconds(30));
  sip.fail(2);
  EXPECT_TRUE(monitor->is_up("carrier"));
  sip.clock.advance(seconds(30));
  sip.fail(3);
  EXPECT_FALSE(monitor->is_up("carrier"));
  EXPECT_EQ(changes, (std::vector<std::string>{"carrier down"}));
}

TEST_F(KeepaliveTest, ServiceUnavailableIsDownAndItsRetryAfterIsHonoured) {
  const std::vector<Trunk> trunks = {monitored("carrier", "203.0.113.5", 30)};
  auto monitor = make(trunks);
  monitor->start();
  sip.respond(0, 503, "Service Unavailable", {{"Retry-After", "120"}});
  EXPECT_FALSE(monitor->is_up("carrier"));
  sip.clock.advance(seconds(119));
  EXPECT_EQ(sip.sent.size(), 1u);
  sip.clock.advance(seconds(1));
  EXPECT_EQ(sip.sent.size(), 2u);
}

TEST_F(KeepaliveTest, RoundsDoNotOverlap) {
  const std::vector<Trunk> trunks = {monitored("carrier", "203.0.113.5", 30)};
  auto monitor = make(trunks);
  monitor->start();
  sip.clock.advance(seconds(31));  // still waiting for Timer F
  EXPECT_EQ(sip.sent.size(), 1u);
  sip.fail(0);  // the round ends; the overdue one starts now
  EXPECT_EQ(sip.sent.size(), 2u);
  sip.respond(1, 200, "OK");
  sip.clock.advance(seconds(29));
  EXPECT_EQ(sip.sent.size(), 2u);
  sip.clock.advance(seconds(1));
  EXPECT_EQ(sip.sent.size(), 3u);
}

TEST_F(KeepaliveTest, UpWhenAnyResolvedTargetAnswers) {
  sip.dns["carrier.example"] = {ScriptedSipServices::target("203.0.113.5", 5060),
                                ScriptedSipServices::target("2001:db8::5", 5060)};
  const std::vector<Trunk> trunks = {monitored("carrier", "carrier.example", 30)};
  auto monitor = make(trunks);
  monitor->start();
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(sip.sent[1].target.endpoint.ToString(), "[2001:db8::5]:5060");
  EXPECT_EQ(sip.sent[1].request.request_uri_text(), "sip:carrier.example:5060");
  sip.fail(0);
  sip.respond(1, 200, "OK");
  EXPECT_TRUE(monitor->is_up("carrier"));
  EXPECT_TRUE(changes.empty());
}

TEST_F(KeepaliveTest, UnresolvableOrUnsendableIsAFailure) {
  const std::vector<Trunk> trunks = {monitored("nowhere", "unknown.example", 30),
                                     monitored("v6", "2001:db8::7", 30)};
  sip.local.clear();  // no listener for the family
  sip.dns["2001:db8::7"] = {ScriptedSipServices::target("2001:db8::7", 5060)};
  auto monitor = make(trunks);
  monitor->start();
  EXPECT_TRUE(sip.sent.empty());
  EXPECT_FALSE(monitor->is_up("nowhere"));
  EXPECT_FALSE(monitor->is_up("v6"));
  EXPECT_EQ(monitor->counters("v6").failed, 1u);
  EXPECT_EQ(monitor->counters("v6").sent, 0u);
  sip.local = "[2001:db8::10]:5060";
  sip.clock.advance(seconds(30));
  ASSERT_EQ(sip.sent.size(), 1u);
  EXPECT_EQ(sip.last().request_uri_text(), "sip:[2001:db8::7]:5060");
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kContact), "<sip:[2001:db8::10]:5060>");
}

TEST_F(KeepaliveTest, TrunksWithoutKeepaliveAreAlwaysUp) {
  const std::vector<Trunk> trunks = {monitored("static", "203.0.113.5", 0)};
  auto monitor = make(trunks);
  monitor->start();
  EXPECT_TRUE(sip.sent.empty());
  EXPECT_TRUE(monitor->is_up("static"));
  EXPECT_TRUE(monitor->is_up("not-configured"));
}

TEST_F(KeepaliveTest, OutcomesAfterDestructionAreIgnored) {
  const std::vector<Trunk> trunks = {monitored("carrier", "203.0.113.5", 30)};
  auto monitor = make(trunks);
  monitor->start();
  monitor.reset();
  sip.fail(0);  // must not touch the destroyed monitor
  sip.clock.advance(seconds(60));
  EXPECT_EQ(sip.sent.size(), 1u);
}

}  // namespace
}  // namespace trunkgate::cp
