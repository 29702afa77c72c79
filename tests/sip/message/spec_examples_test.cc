// Typed access on real peer messages from the spec corpus (tests/sip/corpus/spec-*): the headers
// the gateway relies on, in the forms CUCM, Microsoft, 8x8 and NEC actually send them.
// Typed results are views into their message, so a message stays in a variable while its results
// are used (a temporary would be gone by the next statement).
#include <gtest/gtest.h>

#include "sip/message/message.h"
#include "sip/message/name_addr.h"
#include "sip/message/uri.h"
#include "sip/sdp/message_sdp.h"
#include "tests/sip/corpus_file.h"

namespace trunkgate::sip {
namespace {

SipMessage spec(const std::string& file) {
  auto msg = SipMessage::parse(test::read_corpus(file));
  EXPECT_TRUE(msg.ok()) << file;
  return msg ? std::move(msg).value() : SipMessage::make_request("INVALID", "sip:invalid");
}

TEST(SpecExamples, EightByEightCompactFormsAndProxyChallenge) {
  const SipMessage invite = spec("spec-000/L00256-INVITE.sip");
  EXPECT_EQ(invite.from()->display_name_text(), "Line 4");
  EXPECT_TRUE(invite.has_option_tag(HeaderId::kSupported, "replaces"));  // k:
  EXPECT_EQ(invite.session_expires()->seconds, 1800u);                   // x:
  const SipMessage challenge_msg = spec("spec-000/L00303-407.sip");
  const auto challenge = challenge_msg.auth_headers(HeaderId::kProxyAuthenticate);
  ASSERT_TRUE(challenge.ok());
  EXPECT_EQ(challenge->front().get_unquoted("realm").value(), "packet8.net");
  const SipMessage creds_msg = spec("spec-000/L00333-INVITE.sip");
  const auto creds = creds_msg.auth_headers(HeaderId::kProxyAuthorization);
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->front().get_unquoted("username").value(), "045401020304");
  // Remote-Party-ID with no space between display name and '<'.
  const SipMessage rpid_msg = spec("spec-000/L00464-INVITE.sip");
  const auto rpid = rpid_msg.name_addrs(HeaderId::kRemotePartyId);
  ASSERT_TRUE(rpid.ok());
  EXPECT_EQ(rpid->front().display_name_text(), "John Doe");
  EXPECT_EQ(rpid->front().params.get("privacy").value(), "off");
  EXPECT_EQ(rpid->front().params.get("party").value(), "calling");
}

TEST(SpecExamples, EightByEightRequestUriFragments) {
  // 000 lines 204-242 print only the start line, From and To of example INVITEs.
  const auto tel = parse_uri("tel:+19665551234;transport=UDP");
  ASSERT_TRUE(tel.ok());
  EXPECT_EQ(tel->user, "+19665551234");
  const auto fqdn = parse_name_addr("<sip:+14665554321@acmetrunk.packet8.net.;user=phone>");
  ASSERT_TRUE(fqdn.ok());
  EXPECT_EQ(fqdn->uri.host, "acmetrunk.packet8.net.");
  EXPECT_TRUE(fqdn->uri.is_phone());
  const auto numeric_name = parse_name_addr("19665551234 <sip:+19665551234@tg.packet8.net>");
  ASSERT_TRUE(numeric_name.ok());
  EXPECT_EQ(numeric_name->display_name, "19665551234");
  EXPECT_EQ(parse_name_addr("911 <sip:911@63.209.0.77>")->uri.user, "911");
}

TEST(SpecExamples, CucmPrackRseqRackAndRequire) {
  const SipMessage provisional = spec("spec-001/L06590-183.sip");
  EXPECT_EQ(*provisional.rseq(), 5736u);
  EXPECT_TRUE(provisional.has_option_tag(HeaderId::kRequire, "100rel"));
  const SipMessage rack_msg = spec("spec-001/L06625-PRACK.sip");
  const auto rack = rack_msg.rack();  // sent as "Rack:"
  ASSERT_TRUE(rack.ok());
  EXPECT_EQ(rack->rseq, 5736u);
  EXPECT_EQ(rack->cseq, 101u);
  EXPECT_EQ(rack->method, "INVITE");
}

TEST(SpecExamples, CucmCallInfoDiversionReasonEventRefer) {
  const SipMessage call_info_msg = spec("spec-001/L01825-INVITE.sip");
  const auto call_info = call_info_msg.name_addrs(HeaderId::kCallInfo);
  ASSERT_TRUE(call_info.ok());
  EXPECT_EQ(call_info->front().params.get("method").value(),
            "\"NOTIFY;Event=telephone-event;Duration=500\"");
  // Diversion without angle brackets, sips: scheme (DIGEST-001 [11755]).
  const SipMessage diversion_msg = spec("spec-001/L11745-301.sip");
  const auto diversion = diversion_msg.name_addrs(HeaderId::kDiversion);
  ASSERT_TRUE(diversion.ok());
  EXPECT_FALSE(diversion->front().angle_brackets);
  EXPECT_EQ(diversion->front().uri.scheme, UriScheme::kSips);
  EXPECT_EQ(diversion->front().uri.port, 5061);
  const SipMessage reasons_msg = spec("spec-001/L05952-200.sip");
  const auto reasons = reasons_msg.reasons();
  ASSERT_TRUE(reasons.ok());
  EXPECT_EQ(reasons->front().token, "Q.850");
  EXPECT_EQ(reasons->front().param("cause"), "0");
  const SipMessage notify = spec("spec-001/L05872-NOTIFY.sip");
  EXPECT_EQ(notify.event()->token, "telephone-event");
  EXPECT_EQ(notify.subscription_state()->token, "active");
  const SipMessage refer = spec("spec-001/L16544-REFER.sip");
  EXPECT_EQ(refer.name_addrs(HeaderId::kReferTo)->front().uri.user, "1009");
  EXPECT_EQ(refer.name_addrs(HeaderId::kReferredBy)->front().uri.host, "whatever.com");
  EXPECT_EQ(refer.cseq()->method, "REFER");  // sent as "Cseq:"
  const SipMessage replaces_msg = spec("spec-001/L16648-INVITE.sip");
  const auto replaces = replaces_msg.replaces();
  ASSERT_TRUE(replaces.ok());
  EXPECT_EQ(replaces->call_id, "42592@bobster.example.org");
  EXPECT_EQ(replaces->from_tag(), "6472");
}

TEST(SpecExamples, CucmDigestChallengeAndMalformedSdpTolerated) {
  const SipMessage challenge_msg = spec("spec-001/L15763-401.sip");
  const auto challenge = challenge_msg.auth_headers(HeaderId::kWwwAuthenticate);
  ASSERT_TRUE(challenge.ok());
  EXPECT_EQ(challenge->front().get("algorithm").value(), "MD5");
  const SipMessage creds_msg = spec("spec-001/L15787-INVITE.sip");
  const auto creds = creds_msg.auth_headers(HeaderId::kAuthorization);
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->front().get_unquoted("uri").value(), "sip:2003@10.10.193.253:5060");
  // "c=IN IP4 10.10.10225" (DIGEST-001 [12111]) is kept as written for the B2BUA to judge.
  const SipMessage early = spec("spec-001/L12091-183.sip");
  const auto sdps = sdp::sdp_parts(early);
  ASSERT_TRUE(sdps.ok());
  bool found = false;
  for (const auto& m : sdps->front().sdp.media) {
    const auto* c = sdps->front().sdp.connection_for(m);
    found = found || (c != nullptr && c->address == "10.10.10225");
  }
  EXPECT_TRUE(found);
}

TEST(SpecExamples, MicrosoftIdentityPhoneContextAndGatewayBypass) {
  const SipMessage invite = spec("spec-002/L00833-INVITE.sip");
  EXPECT_EQ(invite.to()->uri.phone_context(), "normal-loc");
  EXPECT_EQ(invite.to()->uri.user_number(), "7275036");
  EXPECT_EQ(invite.from()->uri.user, "anonymous");
  const SipMessage ppi_msg = spec("spec-002/L00864-200.sip");
  const auto ppi = ppi_msg.name_addrs(HeaderId::kPPreferredIdentity);
  ASSERT_TRUE(ppi.ok());
  ASSERT_EQ(ppi->size(), 2u);
  EXPECT_EQ((*ppi)[1].uri.scheme, UriScheme::kTel);
  const SipMessage bypass = spec("spec-002/L01449-INVITE.sip");
  EXPECT_EQ(bypass.tokens(HeaderId::kSupported)->size(), 7u);  // seven Supported lines
  EXPECT_EQ(bypass.name_addrs(HeaderId::kHistoryInfo)->front().params.get("index").value(), "1");
  EXPECT_EQ(bypass.name_addrs(HeaderId::kPAssertedIdentity)->front().uri.user, "+4259876543");
  EXPECT_EQ(bypass.from()->uri.phone_context(), "Location1");
  EXPECT_EQ(bypass.contacts()->front().params.has("isGateway"), true);
  EXPECT_EQ(bypass.find("ms-trunking-peer").value(),
            "gateway.company1.com;User-Agent=\"Gateway 1.0\"");
  const auto parts = sdp::sdp_parts(bypass);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_TRUE(parts->at(2).content_type.starts_with("application/gw-sdp"));
  EXPECT_EQ(parts->at(2).sdp.origin.username, "Gateway");
  EXPECT_EQ(parts->at(2).sdp.media.front().protocol, "RTP/SAVP");
}

TEST(SpecExamples, NecPrivacyAndSessionTimer) {
  const SipMessage invite = spec("spec-003/L01358-INVITE.sip");
  EXPECT_EQ(invite.tokens(HeaderId::kPrivacy)->front(), "none");
  EXPECT_EQ(invite.session_expires()->seconds, 1800u);
}

}  // namespace
}  // namespace trunkgate::sip
