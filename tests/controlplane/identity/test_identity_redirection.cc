// Diversion (RFC 5806) and History-Info (RFC 7044) read into one history, and written back.
#include <gtest/gtest.h>

#include "controlplane/identity/redirection.h"
#include "tests/controlplane/identity/identity_test_support.h"

using namespace trunkgate::cp;
using namespace trunkgate::cp::test;

namespace {

using Reader = std::vector<Redirection> (*)(const trunkgate::sip::SipMessage&, const DialPlan&);

std::vector<Redirection> read_with(Reader reader, const std::string& headers) {
  auto invite =
      parse_text(invite_text("sip:+19665551234@192.0.2.1", "<sip:1@192.0.2.10>;tag=1", headers));
  EXPECT_TRUE(invite.ok());
  return invite ? reader(*invite, DialPlan{}) : std::vector<Redirection>{};
}

std::vector<Redirection> diversions(const std::string& headers) {
  return read_with(read_diversions, headers);
}

std::vector<Redirection> history(const std::string& headers) {
  return read_with(read_history_info, headers);
}

TEST(IdentityRedirection, CausesMapBothWaysPerRfc4458) {
  EXPECT_EQ(cause_for_reason("unconditional"), 302);
  EXPECT_EQ(cause_for_reason("user-busy"), 486);
  EXPECT_EQ(cause_for_reason("no-answer"), 408);
  EXPECT_EQ(cause_for_reason("deflection"), 480);
  EXPECT_EQ(cause_for_reason("unavailable"), 503);
  EXPECT_EQ(cause_for_reason("time-of-day"), 404);
  EXPECT_EQ(cause_for_reason("unknown"), 404);
  EXPECT_EQ(reason_for_cause(302), "unconditional");
  EXPECT_EQ(reason_for_cause(486), "user-busy");
  EXPECT_EQ(reason_for_cause(408), "no-answer");
  EXPECT_EQ(reason_for_cause(480), "deflection");
  EXPECT_EQ(reason_for_cause(487), "deflection");
  EXPECT_EQ(reason_for_cause(503), "unavailable");
  EXPECT_EQ(reason_for_cause(404), "unknown");
  EXPECT_EQ(reason_for_cause(600), "unknown");
}

TEST(IdentityRedirection, DiversionsNewestOnTopComeOutOldestFirst) {
  const auto rs = diversions(
      "Diversion: <sip:+15550000002@b.example>;reason=user-busy;counter=1\n"
      "Diversion: <sip:5550000001@a.example>;reason=\"unconditional\";counter=1\n");
  EXPECT_EQ(describe(rs), "+15550000001/unconditional +15550000002/user-busy ");
}

TEST(IdentityRedirection, DiversionCounterExpandsAndUnknownReasonsAreUnknown) {
  const auto rs = diversions(
      "Diversion: <sip:+15550000002@b.example>;reason=vendor-special, "
      "<sip:+15550000001@a.example>;reason=no-answer;counter=2\n");
  EXPECT_EQ(describe(rs), "+15550000001/no-answer +15550000001/no-answer +15550000002/unknown ");
}

TEST(IdentityRedirection, CucmBareDiversionWithoutReason) {
  // Spec 001 line 11755 (no angle brackets, sips) and 11791 (no reason).
  EXPECT_EQ(describe(diversions("Diversion: sips:1001@10.10.199.250:5061\n")), "1001/unknown ");
  EXPECT_EQ(describe(diversions("Diversion: <sip:1001@10.10.199.250>\n")), "1001/unknown ");
}

TEST(IdentityRedirection, GarbageDiversionElementsAreSkipped) {
  const auto rs = diversions(
      "Diversion: <<<>>>;reason=user-busy\n"
      "Diversion: <mailto:x@y>;reason=user-busy, <sip:@host>;reason=no-answer\n"
      "Diversion: <tel:+15550000001>;reason=deflection;counter=99999999999999999999\n");
  EXPECT_EQ(describe(rs), "+15550000001/deflection ");
}

TEST(IdentityRedirection, HundredDiversionsKeepOriginalAndNewestNine) {
  std::string headers;
  for (int i = 99; i >= 0; --i) {  // newest (99) on top
    headers +=
        "Diversion: <sip:+1555000" + std::to_string(1000 + i) + "@a.example>;reason=no-answer\n";
  }
  const auto rs = diversions(headers);
  ASSERT_EQ(rs.size(), kMaxRedirections);
  EXPECT_EQ(rs.front().number, "+15550001000");  // the original called party
  EXPECT_EQ(rs[1].number, "+15550001091");
  EXPECT_EQ(rs.back().number, "+15550001099");
}

TEST(IdentityRedirection, HistoryInfoCauseAndMpParameters) {
  // RFC 7044 style: the retargeted entry's URI carries cause=, mp= names its parent.
  const auto rs = history(
      "History-Info: <sip:+15550000001@a.example;user=phone>;index=1, "
      "<sip:+15550000002@b.example;user=phone;cause=486>;index=1.1;mp=1\n"
      "History-Info: <sip:+15550000003@c.example;user=phone;cause=408>;index=1.1.1;mp=1.1\n");
  EXPECT_EQ(describe(rs), "+15550000001/user-busy +15550000002/no-answer ");
}

TEST(IdentityRedirection, HistoryInfoReasonEscapedInTheParentUri) {
  // RFC 7044 section 9.1 / RFC 4244 style: the entry that answered 302 carries the Reason.
  const auto rs = history(
      "History-Info: <sip:+15550000001@a.example?Reason=SIP%3Bcause%3D302%3Btext%3D%22Moved%22>;"
      "index=1, <sip:+15550000002@b.example>;index=1.1\n");
  EXPECT_EQ(describe(rs), "+15550000001/unconditional ");
}

TEST(IdentityRedirection, HistoryInfoHopsAndQ850ReasonsAreNotRedirections) {
  EXPECT_TRUE(history("History-Info: <sip:+15550000001@a.example>;index=1, "
                      "<sip:+15550000001@10.0.0.5>;index=1.1;rc=1\n")
                  .empty());
  EXPECT_TRUE(history("History-Info: <sip:+15550000001@a.example?Reason=Q.850%3Bcause%3D17>;"
                      "index=1, <sip:+15550000002@b.example>;index=1.1\n")
                  .empty());
}

TEST(IdentityRedirection, HistoryInfoEntriesAreOrderedByIndex) {
  const auto rs = history(
      "History-Info: <sip:+15550000003@c.example;cause=302>;index=1.1.1;mp=1.1\n"
      "History-Info: <sip:+15550000001@a.example>;index=1\n"
      "History-Info: <sip:+15550000002@b.example;cause=486>;index=1.1;mp=1\n");
  EXPECT_EQ(describe(rs), "+15550000001/user-busy +15550000002/unconditional ");
}

TEST(IdentityRedirection, HistoryInfoWithoutIndexOrWithBadIndexIsIgnored) {
  EXPECT_TRUE(history("History-Info: <sip:+15550000001@a.example>, "
                      "<sip:+15550000002@b.example;cause=302>;index=1.x\n")
                  .empty());
}

TEST(IdentityRedirection, WritesDiversionsNewestFirst) {
  const std::vector<Redirection> rs = {{"+15550000001", "unconditional"},
                                       {"+15550000002", "user-busy"}};
  DialPlan plan;
  plan.format = DialPlan::Format::kE164;
  EXPECT_EQ(diversion_values(rs, plan, "gw.example.net"),
            (std::vector<std::string>{
                "<sip:15550000002@gw.example.net>;reason=user-busy;counter=1",
                "<sip:15550000001@gw.example.net>;reason=unconditional;counter=1"}));
  // A reason that is not an RFC 5806 token is never written as received.
  EXPECT_EQ(diversion_values({{"+15550000001", "x;evil=1"}}, plan, "gw"),
            (std::vector<std::string>{"<sip:15550000001@gw>;reason=unknown;counter=1"}));
}

TEST(IdentityRedirection, WritesHistoryInfoChainEndingAtTheTarget) {
  const std::vector<Redirection> rs = {{"+15550000001", "unconditional"},
                                       {"+15550000002", "no-answer"}};
  EXPECT_EQ(history_info_values(rs, "sip:+19665551234@sp.example.com;user=phone", DialPlan{},
                                "gw.example.net"),
            (std::vector<std::string>{
                "<sip:+15550000001@gw.example.net;user=phone>;index=1",
                "<sip:+15550000002@gw.example.net;user=phone;cause=302>;index=1.1;mp=1",
                "<sip:+19665551234@sp.example.com;user=phone;cause=408>;index=1.1.1;mp=1.1"}));
  EXPECT_TRUE(history_info_values({}, "sip:+1@x", DialPlan{}, "gw").empty());
}

TEST(IdentityRedirection, WrittenHistoryInfoReadsBackAsTheSameHistory) {
  const std::vector<Redirection> rs = {{"+15550000001", "unconditional"},
                                       {"+15550000002", "user-busy"},
                                       {"+15550000003", "deflection"}};
  std::string headers;
  for (const std::string& v :
       history_info_values(rs, "sip:+19665551234@sp.example.com;user=phone", DialPlan{}, "gw")) {
    headers += "History-Info: " + v + "\n";
  }
  EXPECT_EQ(describe(history(headers)), describe(rs));
}

}  // namespace
