// read_identity() on INVITEs from the specs: 8x8 (spec 000), CUCM (spec 001), SIPconnect (004).
#include <gtest/gtest.h>

#include "controlplane/identity/identity_mapping.h"
#include "tests/controlplane/identity/identity_test_support.h"

using namespace trunkgate::cp;
using namespace trunkgate::cp::test;

namespace {

std::string called_of(std::string_view request_uri, const Trunk& trunk = eight_by_eight()) {
  const IdentityResult r =
      read_text(invite_text(request_uri, "<sip:14665554321@192.0.2.10>;tag=1"), trunk);
  if (!r.identity) return "error " + std::to_string(r.sip_status);
  return r.identity->called.e164();
}

// Spec 000 lines 464-479, "Inbound call from 555-123-1234 to 444-789-5432", compact headers. The
// spec prints the RPID continuation line without its leading space; on the wire it is folded.
const char* const kEightByEightInbound =
    "INVITE sip:+14447895432@192.84.19.65:5060;transport=udp;user=phone SIP/2.0\n"
    "f: <sip:15551231234@209.247.17.37>;tag=bp3FaT3Uk4JqK\n"
    "t: <sip:+14447895432@acmetrunk.packet8.net.;user=phone>\n"
    "i: SFOMGC0120080823203451008257@209.244.63.12\n"
    "CSeq: 1900462892 INVITE\n"
    "Max-Forwards: 69\n"
    "k: timer, histinfo\n"
    "Remote-Party-ID: \"John Doe\"<sip:15551231234@209.247.17.37>;\n"
    " party=calling;privacy=off;screen=yes\n"
    "User-Agent: Packet8/1.1.126 (OutTrunkGateway) eSLEE/0.12.83\n"
    "x: 1854\n"
    "v: SIP/2.0/UDP 63.209.0.77:5060;branch=z9hG4bKav8qDFo7Ql1984a4727435748e6fd2dce565d0a9b3e, "
    "SIP/2.0/TCP 63.209.0.77:5164;branch=z9hG4bKa4eupwMN0hti\n"
    "m: <sip:bnKgZUBxRanAnUDhUId@63.209.0.77:5164>\n"
    "Record-Route: <sip:bT9rRXPxRanAnUDhUId@63.209.0.77:5060;lr>\n"
    "l: 0\n\n";

TEST(IdentityRead, EightByEightInboundCompactHeadersAndRpid) {
  const CallIdentity id = read_ok(kEightByEightInbound, eight_by_eight());
  EXPECT_EQ(id.called.cls, NumberClass::kE164);
  EXPECT_EQ(id.called.e164(), "+14447895432");
  EXPECT_EQ(id.calling, "+15551231234");
  EXPECT_EQ(id.calling_display, "John Doe");
  EXPECT_TRUE(id.screened);
  EXPECT_FALSE(id.anonymous);
  EXPECT_TRUE(id.redirections.empty());
}

TEST(IdentityRead, EightByEightRpidPrivacyFullWithheldSevenDigitNumberKeptAsReceived) {
  // Spec 000 "Caller ID", second example: a 7-digit number that no plan makes E.164.
  const CallIdentity id =
      read_ok(invite_text("sip:+14447895432@192.84.19.65", "<sip:15551231234@209.247.17.37>;tag=1",
                          "Remote-Party-ID: <sip:5551234@209.247.17.37>;party=calling;privacy=full;"
                          "screen=yes\n"),
              eight_by_eight());
  EXPECT_TRUE(id.anonymous);
  EXPECT_EQ(id.calling, "5551234");
  EXPECT_TRUE(id.screened);
}

TEST(IdentityRead, CalledNumberFormsOfSpec000) {
  // "Request-URI, To and From": sip and tel, with and without '+', 11 digits; and 10 digits.
  EXPECT_EQ(called_of("sip:+19665551234@tg.packet8.net;transport=UDP;user=phone"), "+19665551234");
  EXPECT_EQ(called_of("sip:19665551234@63.209.0.77;transport=UDP"), "+19665551234");
  EXPECT_EQ(called_of("tel:+19665551234;transport=UDP"), "+19665551234");
  EXPECT_EQ(called_of("tel:19665551234"), "+19665551234");
  EXPECT_EQ(called_of("sip:9665551234@192.0.2.1"), "+19665551234");
  EXPECT_EQ(called_of("sips:+19665551234@192.0.2.1"), "+19665551234");
}

TEST(IdentityRead, CalledUserPartParametersSeparatorsAndEscapes) {
  EXPECT_EQ(called_of("sip:9665551234;phone-context=+1@192.0.2.1;user=phone"), "+19665551234");
  EXPECT_EQ(called_of("sip:+1-966-555-1234;isub=12@192.0.2.1;user=phone"), "+19665551234");
  EXPECT_EQ(called_of("tel:+1-966-555-1234;phone-context=example.com"), "+19665551234");
  EXPECT_EQ(called_of("sip:%2B1(966)555.1234@192.0.2.1"), "+19665551234");
}

TEST(IdentityRead, EmergencyCodesWithAndWithoutCountryCode) {
  // Spec 000 "e911 Support": "911" or "+1911".
  const CallIdentity plain =
      read_ok(invite_text("sip:911@63.209.0.77;transport=UDP",
                          "\"John Joe\" <sip:14665554321@63.209.0.77>;tag=c0541341-13c4"),
              eight_by_eight());
  EXPECT_EQ(plain.called.cls, NumberClass::kEmergency);
  EXPECT_EQ(plain.called.digits, "911");
  EXPECT_EQ(plain.calling, "+14665554321");
  EXPECT_EQ(plain.calling_display, "John Joe");
  EXPECT_EQ(called_of("sip:+1911@63.209.0.77"), "911");
}

TEST(IdentityRead, MissingCalledNumberIs404) {
  for (const char* uri : {"sip:63.209.0.77", "sip:;x=1@63.209.0.77", "urn:service:sos"}) {
    const IdentityResult r =
        read_text(invite_text(uri, "<sip:1@192.0.2.10>;tag=1"), eight_by_eight());
    EXPECT_EQ(r.error, IdentityError::kCalledMissing) << uri;
    EXPECT_EQ(r.sip_status, 404) << uri;
    EXPECT_FALSE(r.identity) << uri;
  }
}

TEST(IdentityRead, IncompleteNumberIs484AndImpossibleNumberIs404) {
  const IdentityResult short_number =
      read_text(invite_text("sip:5551234@192.0.2.1", "<sip:1@192.0.2.10>;tag=1"), eight_by_eight());
  EXPECT_EQ(short_number.error, IdentityError::kCalledInvalid);
  EXPECT_EQ(short_number.sip_status, 484);
  EXPECT_FALSE(short_number.detail.empty());

  for (const char* uri : {"sip:alice@192.0.2.1", "sip:123456789012345678@192.0.2.1",
                          "sip:%0D%0AX-Evil:1@192.0.2.1"}) {
    const IdentityResult r =
        read_text(invite_text(uri, "<sip:1@192.0.2.10>;tag=1"), eight_by_eight());
    EXPECT_EQ(r.error, IdentityError::kCalledInvalid) << uri;
    EXPECT_EQ(r.sip_status, 404) << uri;
    EXPECT_EQ(r.detail.find('\n'), std::string::npos) << "received text copied into the detail";
  }
}

// Spec 001 lines 1015-1031, flow 1.1 [1] as printed: CUCM's own 4-digit extensions are not
// numbers under a 10-digit national plan, so the call is refused as incomplete.
TEST(IdentityRead, CucmTraceWithExtensionsIsAddressIncomplete) {
  const IdentityResult r = read_text(
      "INVITE sip:2003@10.10.193.253:5060 SIP/2.0\n"
      "Via: SIP/2.0/TCP 10.10.199.250:5060;branch=z9hG4bKc64d6aaef\n"
      "Remote-Party-ID: <sip:1001@10.10.199.250>;party=calling;screen=yes;privacy=off\n"
      "From: <sip:1001@10.10.199.250>;tag=03f840d7-6aad-4124-bf92-ad483e762201-17470821\n"
      "To: <sip:2003@10.10.193.253>\n"
      "Call-ID: f3a10600-68516425-365-fac712ac@10.10.199.250\n"
      "Supported: timer,replaces\n"
      "CSeq: 101 INVITE\n"
      "Contact: <sip:1001@10.10.199.250:5060;transport=tcp>\n"
      "Max-Forwards: 70\n"
      "Content-Length: 0\n\n",
      cucm());
  EXPECT_EQ(r.error, IdentityError::kCalledInvalid);
  EXPECT_EQ(r.sip_status, 484);
}

TEST(IdentityRead, CucmRpidAndDiversion) {
  // Spec 001 Table 1-4 (lines 416-417): RPID with screen=no, Diversion reason=no-answer.
  const CallIdentity id = read_ok(
      invite_text("sip:9728135222@10.10.193.253", "<sip:9728135111@161.44.147.67>;tag=1",
                  "Remote-Party-ID:\"Alice Smith\" <sip:9728135111@161.44.147.67;user=phone>; "
                  "party=calling;screen=no;privacy=off\n"
                  "Diversion: <sip:23222@172.18.193.123>;reason=no-answer\n"),
      cucm());
  EXPECT_EQ(id.called.e164(), "+19728135222");
  EXPECT_EQ(id.calling, "+19728135111");
  EXPECT_EQ(id.calling_display, "Alice Smith");
  EXPECT_FALSE(id.screened);
  EXPECT_FALSE(id.anonymous);
  ASSERT_EQ(id.redirections.size(), 1u);
  EXPECT_EQ(id.redirections[0].number, "23222");  // an extension: kept as received
  EXPECT_EQ(id.redirections[0].reason, "no-answer");
}

// Spec 001 lines 730-764 (the examples' RPID URIs lack "sip:"; the traces always carry it).
std::string cucm_restricted(std::string_view from_display, std::string_view privacy) {
  return invite_text("sip:9728135222@10.10.193.253",
                     std::string(from_display) + " <sip:9728135001@localhost>;tag=1",
                     "Remote-Party-ID: \"Bob Jones\"<sip:9728135001@localhost;user=phone>;"
                     "party=calling;screen=yes;privacy=" +
                         std::string(privacy) + "\n");
}

TEST(IdentityRead, CucmNameRestrictionDropsTheNameOnly) {
  const CallIdentity id = read_ok(cucm_restricted("\"Anonymous\"", "name"), cucm());
  EXPECT_FALSE(id.anonymous);
  EXPECT_EQ(id.calling, "+19728135001");
  EXPECT_EQ(id.calling_display, "");
}

TEST(IdentityRead, CucmNumberAndFullRestrictionAreAnonymous) {
  const CallIdentity uri = read_ok(cucm_restricted("\"Bob Jones\"", "uri"), cucm());
  EXPECT_TRUE(uri.anonymous);
  EXPECT_EQ(uri.calling, "+19728135001");  // kept for trusted peers and emergency calls
  EXPECT_EQ(uri.calling_display, "Bob Jones");
  const CallIdentity full = read_ok(cucm_restricted("\"Anonymous\"", "full"), cucm());
  EXPECT_TRUE(full.anonymous);
  EXPECT_EQ(full.calling_display, "Bob Jones");
}

TEST(IdentityRead, RpidOfTheCalledPartyIsNotTheCaller) {
  const CallIdentity id =
      read_ok(invite_text("sip:9728135222@10.10.193.253", "<sip:9728135111@10.10.199.250>;tag=1",
                          "Remote-Party-ID: <sip:9728135999@10.10.193.253>;party=called;screen=yes;"
                          "privacy=off\n"),
              cucm());
  EXPECT_EQ(id.calling, "+19728135111");
  EXPECT_FALSE(id.screened);
}

TEST(IdentityRead, SipconnectPrivacyIdWithAssertedIdentity) {
  // Spec 004 section 10.1.4: PAI + Privacy: id + anonymous From.
  const CallIdentity id = read_ok(
      invite_text("sip:+12128901234@pbx.example.com;user=phone",
                  "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1",
                  "P-Asserted-Identity: \"John Smith\" <sip:+15616261234@example.com;user=phone>\n"
                  "Privacy: id\n"),
      sipconnect());
  EXPECT_TRUE(id.anonymous);
  EXPECT_TRUE(id.screened);
  EXPECT_EQ(id.calling, "+15616261234");
  EXPECT_EQ(id.calling_display, "John Smith");
}

TEST(IdentityRead, SipUriPreferredOverTelUriInAssertedIdentity) {
  // Spec 004 10.1.4: "MUST prefer the SIP URI when two are present".
  const CallIdentity id = read_ok(
      invite_text("sip:+12128901234@pbx.example.com;user=phone", "<sip:+1@example.com>;tag=1",
                  "P-Asserted-Identity: <tel:+15616260000>, "
                  "<sip:+15616261234@example.com;user=phone>\n"),
      sipconnect());
  EXPECT_EQ(id.calling, "+15616261234");
  const CallIdentity tel_only = read_ok(
      invite_text("sip:+12128901234@pbx.example.com;user=phone", "<sip:+1@example.com>;tag=1",
                  "P-Asserted-Identity: <tel:+1-561-626-0000>\n"),
      sipconnect());
  EXPECT_EQ(tel_only.calling, "+15616260000");
}

TEST(IdentityRead, PreferredIdentityIsNotScreened) {
  const CallIdentity id =
      read_ok(invite_text("sip:+12128901234@sp.example.com;user=phone",
                          "\"Front Desk\" <sip:+15616261000@pbx.example.com;user=phone>;tag=1",
                          "P-Preferred-Identity: <sip:+15616261234@pbx.example.com;user=phone>\n"),
              sipconnect());
  EXPECT_EQ(id.calling, "+15616261234");
  EXPECT_EQ(id.calling_display, "Front Desk");  // PPI has none; From's is used
  EXPECT_FALSE(id.screened);
}

TEST(IdentityRead, TrunkStyleDecidesWhichIdentityHeaderWins) {
  const std::string text =
      invite_text("sip:+12128901234@gw.example.com;user=phone", "<sip:+1@example.com>;tag=1",
                  "Remote-Party-ID: <sip:+15550000001@a.example>;party=calling;screen=yes\n"
                  "P-Asserted-Identity: <sip:+15550000002@b.example;user=phone>\n");
  EXPECT_EQ(read_ok(text, cucm()).calling, "+15550000001");
  EXPECT_EQ(read_ok(text, sipconnect()).calling, "+15550000002");
}

TEST(IdentityRead, AnonymousFromAloneHidesAndCarriesNoNumber) {
  const CallIdentity id =
      read_ok(invite_text("sip:+12128901234@pbx.example.com;user=phone",
                          "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1"),
              sipconnect());
  EXPECT_TRUE(id.anonymous);
  EXPECT_EQ(id.calling, "");
  EXPECT_EQ(id.calling_display, "");
}

TEST(IdentityRead, UnavailableIdentityIsNoNumberButNotPrivacy) {
  // Spec 004 10.1.3: sip:unavailable@unknown.invalid.
  const CallIdentity id = read_ok(invite_text("sip:+12128901234@pbx.example.com;user=phone",
                                              "<sip:unavailable@unknown.invalid>;tag=1"),
                                  sipconnect());
  EXPECT_FALSE(id.anonymous);
  EXPECT_EQ(id.calling, "");
}

TEST(IdentityRead, PrivacyHeaderValues) {
  auto anonymous_with = [](std::string_view privacy) {
    return read_ok(invite_text("sip:+12128901234@pbx.example.com;user=phone",
                               "<sip:+15616261234@example.com;user=phone>;tag=1",
                               "Privacy: " + std::string(privacy) + "\n"),
                   sipconnect())
        .anonymous;
  };
  EXPECT_TRUE(anonymous_with("id"));
  EXPECT_TRUE(anonymous_with("user"));
  EXPECT_TRUE(anonymous_with("header"));
  EXPECT_TRUE(anonymous_with("session;id;critical"));
  EXPECT_TRUE(anonymous_with("ID"));
  EXPECT_FALSE(anonymous_with("none"));
  EXPECT_FALSE(anonymous_with("session"));
  EXPECT_FALSE(anonymous_with("critical"));
}

TEST(IdentityRead, MicrosoftAnonymousFromWithUserPhone) {
  // Spec 002 line 847: From <sip:anonymous@server1.example.com;user=phone>, no Privacy header.
  const CallIdentity id = read_ok(
      invite_text("sip:+14251234567@gw.example.net;user=phone",
                  "<sip:anonymous@server1.example.com;user=phone>;epid=571F84BB45;tag=ed77bad0f0"),
      sipconnect());
  EXPECT_TRUE(id.anonymous);
  EXPECT_EQ(id.calling, "");
}

TEST(IdentityRead, MicrosoftAssertedIdentityNumberOnlyInTheTelUri) {
  // Spec 002 line 1117: the SIP URI names a user, the tel URI the number.
  const CallIdentity id = read_ok(
      invite_text("sip:+14251234567@gw.example.net;user=phone",
                  "\"test2\"<sip:test2@example.com>;tag=08399379aa;epid=7d725e08a1",
                  "P-Asserted-Identity: \"test2\"<sip:test2@example.com>,<tel:+15555550100>\n"),
      sipconnect());
  EXPECT_EQ(id.calling, "+15555550100");
  EXPECT_EQ(id.calling_display, "test2");
  EXPECT_TRUE(id.screened);
}

TEST(IdentityRead, MicrosoftPhoneContextCallerAndSingleHistoryEntry) {
  // Spec 002 lines 1468-1491: a national number with phone-context in From, E.164 in PAI, and
  // a History-Info with one entry (no retarget).
  const CallIdentity id =
      read_ok(invite_text("sip:+14251234567@gw.example.net;user=phone",
                          "<sip:4259876543;phone-context=Location1@company1;user=phone>;tag=3d",
                          "P-Asserted-Identity: <sip:+4259876543@company1;user=phone>\n"
                          "History-Info: <sip:user112@company1>;index=1\n"),
              sipconnect());
  EXPECT_EQ(id.calling, "+4259876543");  // as printed in the spec
  EXPECT_TRUE(id.redirections.empty());
}

}  // namespace
