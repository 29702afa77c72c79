// Calls crossing trunk styles: read an INVITE from one trunk, write it toward another, put the
// result on the wire, parse it back and read it as the receiving peer would.
#include <gtest/gtest.h>

#include "controlplane/identity/identity_mapping.h"
#include "tests/controlplane/identity/identity_test_support.h"

using namespace trunkgate::cp;
using namespace trunkgate::cp::test;

namespace {

// What the peer behind `to` reads from the INVITE written for it.
CallIdentity relay(const CallIdentity& id, const Trunk& to, std::string* wire = nullptr) {
  const OutboundIdentity out = write_identity(id, to, "peer.example.net", "gw.example.net", "t9");
  auto parsed = outbound_invite(out);
  EXPECT_TRUE(parsed.ok());
  if (!parsed) return {};
  if (wire != nullptr) *wire = parsed->serialize();
  IdentityResult r = read_identity(*parsed, to);
  EXPECT_EQ(r.error, IdentityError::kNone) << r.detail;
  return r.identity.value_or(CallIdentity{});
}

TEST(IdentityInterop, CucmRpidAndDiversionToSipconnectPaiAndHistoryInfo) {
  const CallIdentity in = read_ok(
      invite_text("sip:2125551234@10.10.193.253",
                  "\"Alice Smith\" <sip:9728135111@10.10.199.250>;tag=1",
                  "Remote-Party-ID: \"Alice Smith\" <sip:9728135111@10.10.199.250;user=phone>;"
                  "party=calling;screen=yes;privacy=off\n"
                  "Diversion: <sip:9728135500@10.10.199.250>;reason=no-answer\n"
                  "Diversion: <sip:9728135400@10.10.199.250>;reason=unconditional\n"),
      cucm());
  std::string wire;
  const CallIdentity out = relay(in, sipconnect(), &wire);
  EXPECT_EQ(out.called.e164(), "+12125551234");
  EXPECT_EQ(out.calling, "+19728135111");
  EXPECT_EQ(out.calling_display, "Alice Smith");
  EXPECT_TRUE(out.screened);
  EXPECT_FALSE(out.anonymous);
  EXPECT_EQ(describe(out.redirections), "+19728135400/unconditional +19728135500/no-answer ");
  EXPECT_NE(wire.find("P-Asserted-Identity: "), std::string::npos);
  EXPECT_NE(wire.find("History-Info: "), std::string::npos);
  EXPECT_EQ(wire.find("Remote-Party-ID"), std::string::npos);
  EXPECT_EQ(wire.find("Diversion"), std::string::npos);
  EXPECT_EQ(wire.find("10.10.199.250"), std::string::npos) << "internal host leaked";
}

TEST(IdentityInterop, SipconnectPrivateCallerToEightByEight) {
  const CallIdentity in = read_ok(
      invite_text("sip:+14447895432@gw.example.net;user=phone",
                  "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1",
                  "P-Asserted-Identity: \"John Smith\" <sip:+15616261234@pbx.internal;user=phone>\n"
                  "Privacy: id\n"
                  "History-Info: <sip:+15616260001@pbx.internal;user=phone>;index=1, "
                  "<sip:+14447895432@gw.example.net;user=phone;cause=486>;index=1.1;mp=1\n"),
      sipconnect());
  std::string wire;
  const CallIdentity out = relay(in, eight_by_eight(), &wire);
  EXPECT_TRUE(out.anonymous);
  EXPECT_EQ(out.calling, "+15616261234");  // 8x8 gets "15616261234", E.164 without '+'
  EXPECT_EQ(describe(out.redirections), "+15616260001/user-busy ");
  EXPECT_NE(wire.find("privacy=full"), std::string::npos);
  EXPECT_NE(wire.find("sip:15616261234@gw.example.net"), std::string::npos);
  EXPECT_NE(wire.find("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>"), std::string::npos);
  EXPECT_EQ(wire.find("pbx.internal"), std::string::npos) << "internal host leaked";
}

TEST(IdentityInterop, EightByEightInboundToCucm) {
  const CallIdentity in =
      read_ok(invite_text("sip:+14447895432@192.84.19.65:5060;transport=udp;user=phone",
                          "<sip:15551231234@209.247.17.37>;tag=bp3FaT3Uk4JqK",
                          "Remote-Party-ID: \"John Doe\"<sip:15551231234@209.247.17.37>;"
                          "party=calling;privacy=off;screen=yes\n"),
              eight_by_eight());
  std::string wire;
  const CallIdentity out = relay(in, cucm(), &wire);
  EXPECT_EQ(out.called.e164(), "+14447895432");
  EXPECT_EQ(out.calling, "+15551231234");
  EXPECT_EQ(out.calling_display, "John Doe");
  EXPECT_TRUE(out.screened);
  EXPECT_NE(wire.find("INVITE sip:4447895432@peer.example.net SIP/2.0"), std::string::npos);
}

TEST(IdentityInterop, PrivateEmergencyCallIsDeliveredWithIdentity) {
  const CallIdentity in = read_ok(
      invite_text("sip:911@gw.example.net", "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1",
                  "P-Asserted-Identity: <sip:+15616261234@pbx.internal;user=phone>\n"
                  "Privacy: id\n"),
      sipconnect());
  ASSERT_EQ(in.called.cls, NumberClass::kEmergency);
  EXPECT_TRUE(in.anonymous);
  for (const Trunk& to : {eight_by_eight(), sipconnect()}) {
    const CallIdentity out = relay(in, to);
    EXPECT_EQ(out.called.digits, "911") << to.name;
    EXPECT_FALSE(out.anonymous) << to.name;
    EXPECT_EQ(out.calling, "+15616261234") << to.name;
  }
}

TEST(IdentityInterop, HostileIdentityHeadersNeverReachTheOtherSide) {
  const std::string long_name(500, 'N');
  const CallIdentity in = read_ok(
      invite_text("sip:+14447895432@gw.example.net;user=phone",
                  "\"" + long_name + "\" <sip:%2B1555%0D%0AX-Evil:%201234@evil.internal>;tag=1",
                  "Remote-Party-ID: garbage<<<\n"
                  "P-Asserted-Identity: <sip:+15550001111@evil.internal;user=phone>;x=\"\\\"\"\n"),
      sipconnect());
  EXPECT_EQ(in.calling, "+15550001111");
  EXPECT_EQ(in.calling_display.size(), 64u);
  std::string wire;
  relay(in, cucm(), &wire);
  EXPECT_EQ(wire.find("evil.internal"), std::string::npos);
  EXPECT_EQ(wire.find("X-Evil"), std::string::npos);
  EXPECT_EQ(wire.find("garbage"), std::string::npos);
}

}  // namespace
