// write_identity(): what each trunk style receives, checked as text and parsed back.
#include <gtest/gtest.h>

#include "controlplane/identity/identity_mapping.h"
#include "tests/controlplane/identity/identity_test_support.h"

using namespace trunkgate::cp;
using namespace trunkgate::cp::test;
using trunkgate::sip::HeaderId;

namespace {

Number e164(std::string digits) {
  return Number{NumberClass::kE164, std::move(digits)};
}

CallIdentity caller(std::string called_digits = "19665551234") {
  CallIdentity id;
  id.called = e164(std::move(called_digits));
  id.calling = "+14665554321";
  id.calling_display = "Line 4";
  id.screened = true;
  return id;
}

std::vector<std::pair<std::string, std::string>> headers(
    std::initializer_list<std::pair<std::string, std::string>> list) {
  return list;
}

TEST(IdentityWrite, ToEightByEightE164WithoutPlusAndRpid) {
  // Spec 000: "sip:19665551234@63.209.0.77", From with an account number, RPID "Caller ID".
  const OutboundIdentity out =
      write_identity(caller(), eight_by_eight(), "63.209.0.77", "192.84.19.65", "c0541341");
  EXPECT_EQ(out.request_uri, "sip:19665551234@63.209.0.77");
  EXPECT_EQ(out.to, "<sip:19665551234@63.209.0.77>");
  EXPECT_EQ(out.from, "\"Line 4\" <sip:14665554321@192.84.19.65>;tag=c0541341");
  EXPECT_EQ(out.headers,
            headers({{"Remote-Party-ID",
                      "\"Line 4\" <sip:14665554321@192.84.19.65>;party=calling;privacy=off;"
                      "screen=yes"}}));
}

TEST(IdentityWrite, ToSipconnectPlusE164UserPhoneAndPai) {
  // Spec 004 sections 9, 10.2.1-10.2.4.
  const OutboundIdentity out =
      write_identity(caller(), sipconnect(), "sp.example.com", "pbx.example.com", "t1");
  EXPECT_EQ(out.request_uri, "sip:+19665551234@sp.example.com;user=phone");
  EXPECT_EQ(out.to, "<sip:+19665551234@sp.example.com;user=phone>");
  EXPECT_EQ(out.from, "\"Line 4\" <sip:+14665554321@pbx.example.com;user=phone>;tag=t1");
  EXPECT_EQ(out.headers, headers({{"P-Asserted-Identity",
                                   "\"Line 4\" <sip:+14665554321@pbx.example.com;user=phone>"}}));
}

TEST(IdentityWrite, ToCucmNationalNumbers) {
  CallIdentity id = caller("19728135222");
  id.calling = "+19728135111";
  id.screened = false;
  const OutboundIdentity out = write_identity(id, cucm(), "10.10.199.250:5060", "gw", "t");
  EXPECT_EQ(out.request_uri, "sip:9728135222@10.10.199.250:5060");
  EXPECT_EQ(out.from, "\"Line 4\" <sip:9728135111@gw>;tag=t");
  EXPECT_EQ(out.headers[0].second,
            "\"Line 4\" <sip:9728135111@gw>;party=calling;privacy=off;screen=no");
}

TEST(IdentityWrite, AnonymousTowardSipconnect) {
  // Spec 004 10.2.4/10.2.5: anonymous From, PAI kept, Privacy: id.
  CallIdentity id = caller();
  id.anonymous = true;
  const OutboundIdentity out = write_identity(id, sipconnect(), "sp.example.com", "pbx", "t");
  EXPECT_EQ(out.from, "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=t");
  EXPECT_EQ(out.headers,
            headers({{"P-Asserted-Identity", "\"Line 4\" <sip:+14665554321@pbx;user=phone>"},
                     {"Privacy", "id"}}));
}

TEST(IdentityWrite, AnonymousTowardRpidTrunk) {
  CallIdentity id = caller();
  id.anonymous = true;
  const OutboundIdentity out = write_identity(id, eight_by_eight(), "63.209.0.77", "gw", "t");
  EXPECT_EQ(out.from, "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=t");
  EXPECT_EQ(out.headers,
            headers({{"Remote-Party-ID",
                      "\"Line 4\" <sip:14665554321@gw>;party=calling;privacy=full;screen=yes"}}));
}

TEST(IdentityWrite, AnonymousWithoutNumber) {
  CallIdentity id = caller();
  id.anonymous = true;
  id.calling.clear();
  id.calling_display.clear();
  EXPECT_EQ(write_identity(id, sipconnect(), "sp", "gw", "t").headers,
            headers({{"Privacy", "id"}}));
  EXPECT_EQ(write_identity(id, cucm(), "cucm", "gw", "t").headers,
            headers({{"Remote-Party-ID",
                      "<sip:anonymous@anonymous.invalid>;party=calling;privacy=full;screen=yes"}}));
}

TEST(IdentityWrite, EmergencyCallsAreNeverAnonymized) {
  // Spec 004 section 13: dial-string Request-URI, PAI not withheld, From not anonymized.
  CallIdentity id = caller();
  id.called = Number{NumberClass::kEmergency, "911"};
  id.anonymous = true;
  const OutboundIdentity sc = write_identity(id, sipconnect(), "sp.example.com", "pbx", "t");
  EXPECT_EQ(sc.request_uri, "sip:911@sp.example.com");
  EXPECT_EQ(sc.from, "\"Line 4\" <sip:+14665554321@pbx;user=phone>;tag=t");
  EXPECT_EQ(sc.headers,
            headers({{"P-Asserted-Identity", "\"Line 4\" <sip:+14665554321@pbx;user=phone>"}}));
  // Spec 000 "e911 Support": INVITE sip:911@63.209.0.77, From with the caller's number.
  const OutboundIdentity ex = write_identity(id, eight_by_eight(), "63.209.0.77", "gw", "t");
  EXPECT_EQ(ex.request_uri, "sip:911@63.209.0.77");
  EXPECT_EQ(ex.from, "\"Line 4\" <sip:14665554321@gw>;tag=t");
}

TEST(IdentityWrite, UnknownCallerIsUnavailable) {
  CallIdentity id = caller();
  id.calling.clear();
  id.calling_display.clear();
  const OutboundIdentity out = write_identity(id, sipconnect(), "sp", "gw", "t");
  EXPECT_EQ(out.from, "<sip:unavailable@unknown.invalid>;tag=t");  // spec 004 10.1.3
  EXPECT_TRUE(out.headers.empty());
}

TEST(IdentityWrite, RawNumbersAreEscapedNotCopied) {
  CallIdentity id = caller();
  id.calling = "5551234;x=\"@evil>";
  const OutboundIdentity out = write_identity(id, eight_by_eight(), "peer", "gw", "t");
  EXPECT_EQ(out.from, "\"Line 4\" <sip:5551234%3Bx%3D%22%40evil%3E@gw>;tag=t");
  auto parsed = outbound_invite(out);
  ASSERT_TRUE(parsed.ok());
  auto from = parsed->from();
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->uri.host, "gw");
  EXPECT_EQ(from->tag(), "t");
}

TEST(IdentityWrite, DisplayNamesAreQuotedEscapedAndBounded) {
  CallIdentity id = caller();
  id.calling_display = "Evil \"Quote\" \\ back\r\nX-Injected: 1";
  const OutboundIdentity out = write_identity(id, sipconnect(), "sp", "gw", "t");
  EXPECT_EQ(out.from,
            "\"Evil \\\"Quote\\\" \\\\ backX-Injected: 1\" <sip:+14665554321@gw;user=phone>;tag=t");
  auto parsed = outbound_invite(out);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->find("X-Injected"));
  auto from = parsed->from();
  ASSERT_TRUE(from.ok());
  EXPECT_EQ(from->display_name_text(), "Evil \"Quote\" \\ backX-Injected: 1");

  id.calling_display = std::string(300, 'a');
  auto long_name = outbound_invite(write_identity(id, sipconnect(), "sp", "gw", "t"));
  ASSERT_TRUE(long_name.ok());
  EXPECT_EQ(long_name->from()->display_name_text(), std::string(64, 'a'));

  // 63 ASCII bytes then a 2-byte character: the cut must not split it.
  id.calling_display = std::string(63, 'b') + "\xC3\xA9";
  auto utf8 = outbound_invite(write_identity(id, sipconnect(), "sp", "gw", "t"));
  ASSERT_TRUE(utf8.ok());
  EXPECT_EQ(utf8->from()->display_name_text(), std::string(63, 'b'));
  id.calling_display = "Zo\xC3\xA9";
  EXPECT_EQ(outbound_invite(write_identity(id, sipconnect(), "sp", "gw", "t"))
                ->from()
                ->display_name_text(),
            "Zo\xC3\xA9");
}

TEST(IdentityWrite, RedirectionsAsDiversionOrHistoryInfo) {
  CallIdentity id = caller();
  id.redirections = {{"+15550000001", "unconditional"}};
  const OutboundIdentity rpid = write_identity(id, eight_by_eight(), "peer", "gw", "t");
  ASSERT_EQ(rpid.headers.size(), 2u);
  EXPECT_EQ(rpid.headers[1],
            (std::pair<std::string, std::string>{
                "Diversion", "<sip:15550000001@gw>;reason=unconditional;counter=1"}));
  const OutboundIdentity pai = write_identity(id, sipconnect(), "sp", "gw", "t");
  EXPECT_EQ(
      pai.headers,
      headers({{"P-Asserted-Identity", "\"Line 4\" <sip:+14665554321@gw;user=phone>"},
               {"History-Info", "<sip:+15550000001@gw;user=phone>;index=1"},
               {"History-Info", "<sip:+19665551234@sp;user=phone;cause=302>;index=1.1;mp=1"}}));
}

TEST(IdentityWrite, EveryStyleParsesBackWithTheSipParser) {
  CallIdentity id = caller();
  id.redirections = {{"+15550000001", "user-busy"}, {"23222", "no-answer"}};
  for (const Trunk& trunk : {eight_by_eight(), cucm(), sipconnect()}) {
    for (bool anonymous : {false, true}) {
      id.anonymous = anonymous;
      auto parsed = outbound_invite(write_identity(id, trunk, "peer.example:5060", "gw", "t"));
      ASSERT_TRUE(parsed.ok()) << trunk.name;
      EXPECT_TRUE(parsed->request_uri().ok());
      EXPECT_TRUE(parsed->from().ok());
      EXPECT_TRUE(parsed->to().ok());
      for (HeaderId h : {HeaderId::kRemotePartyId, HeaderId::kPAssertedIdentity,
                         HeaderId::kDiversion, HeaderId::kHistoryInfo}) {
        EXPECT_TRUE(parsed->name_addrs(h).ok()) << trunk.name;
      }
    }
  }
}

}  // namespace
