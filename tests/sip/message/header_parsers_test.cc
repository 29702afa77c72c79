// Typed header parsers on their own: URIs, name-addrs, Via, scalar headers, auth params.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "sip/message/auth_header.h"
#include "sip/message/header_id.h"
#include "sip/message/media_type.h"
#include "sip/message/name_addr.h"
#include "sip/message/scalar_headers.h"
#include "sip/message/uri.h"
#include "sip/message/via.h"

namespace trunkgate::sip {
namespace {

TEST(HeaderId, CompactFormsAndCaseInsensitiveNames) {
  EXPECT_EQ(header_id("f"), HeaderId::kFrom);
  EXPECT_EQ(header_id("T"), HeaderId::kTo);
  EXPECT_EQ(header_id("x"), HeaderId::kSessionExpires);
  EXPECT_EQ(header_id("b"), HeaderId::kReferredBy);
  EXPECT_EQ(header_id("y"), HeaderId::kIdentity);
  EXPECT_EQ(header_id("RACK"), HeaderId::kRAck);
  EXPECT_EQ(header_id("Remote-Party-Id"), HeaderId::kRemotePartyId);
  EXPECT_EQ(header_id("X-Unknown"), HeaderId::kOther);
  EXPECT_EQ(canonical_name(HeaderId::kCallId), "Call-ID");
}

// header_id compares names a word at a time with a case-folding mask: every canonical name must
// come back in any case, and a byte that only differs by the fold bit must not match.
TEST(HeaderId, EveryNameInAnyCaseAndNoFalseMatches) {
  for (std::size_t i = 1; i < static_cast<std::size_t>(HeaderId::kCount); ++i) {
    const auto id = static_cast<HeaderId>(i);
    std::string name(canonical_name(id));
    EXPECT_EQ(header_id(name), id) << name;
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(header_id(name), id) << name;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(header_id(name), id) << name;
    for (std::size_t k = 0; k < name.size(); ++k) {
      std::string other = name;
      // '-' becomes CR (differs by the fold bit); a letter becomes a non-letter.
      other[k] = static_cast<char>(other[k] ^ (other[k] == '-' ? 0x20 : 0x40));
      EXPECT_EQ(header_id(other), HeaderId::kOther) << name << " at " << k;
    }
  }
  EXPECT_EQ(header_id("Call_ID"), HeaderId::kOther);
  EXPECT_EQ(header_id("Vib"), HeaderId::kOther);
  EXPECT_EQ(header_id("P-Preferred-Identity-X"), HeaderId::kOther);
  EXPECT_EQ(header_id("A-Name-Longer-Than-Twenty-Four-Bytes"), HeaderId::kOther);
}

TEST(Uri, SipWithUserPhoneAndPhoneContextInUserPart) {
  const auto uri = parse_uri("sip:12345;phone-context=lpl@example.com;user=phone");
  ASSERT_TRUE(uri.ok());
  EXPECT_TRUE(uri->is_phone());
  EXPECT_EQ(uri->user_number(), "12345");
  EXPECT_EQ(uri->phone_context(), "lpl");
  EXPECT_EQ(uri->host, "example.com");
}

TEST(Uri, TelWithParams) {
  const auto uri = parse_uri("tel:+1-201-555-0123;phone-context=+1");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->scheme, UriScheme::kTel);
  EXPECT_EQ(uri->user, "+1-201-555-0123");
  EXPECT_EQ(uri->phone_context(), "+1");
}

TEST(Uri, Ipv6ReferenceWithPortAndHeaders) {
  const auto uri = parse_uri("sips:alice:secret@[2001:db8::10]:5061;transport=tls?Subject=hi");
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->scheme, UriScheme::kSips);
  EXPECT_EQ(uri->password, "secret");
  EXPECT_EQ(uri->host, "[2001:db8::10]");
  EXPECT_TRUE(uri->is_ipv6_host());
  EXPECT_EQ(uri->port, 5061);
  EXPECT_EQ(uri->params.get("transport").value(), "tls");
  EXPECT_EQ(uri->headers, "Subject=hi");
}

TEST(Uri, RejectsBadHostPortAndEscapes) {
  EXPECT_EQ(parse_uri("sip:a@[2001:db8::1").error(), ParseError::kBadHost);
  EXPECT_EQ(parse_uri("sip:a@host:70000").error(), ParseError::kBadPort);
  EXPECT_EQ(parse_uri("sip:a%4@host").error(), ParseError::kBadEscape);
  EXPECT_EQ(parse_uri("sip:a@ho st").error(), ParseError::kBadHost);
  EXPECT_EQ(parse_uri("nocolon").error(), ParseError::kBadUri);
}

TEST(Uri, ParamCountIsBounded) {
  ParseLimits limits;
  limits.max_params = 2;
  EXPECT_TRUE(parse_uri("sip:h;a;b", limits).ok());
  EXPECT_EQ(parse_uri("sip:h;a;b;c", limits).error(), ParseError::kTooManyParams);
}

TEST(NameAddr, QuotedUnquotedAndBareForms) {
  const auto quoted = parse_name_addr("\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=1");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ(quoted->display_name_text(), "Anonymous");
  EXPECT_EQ(quoted->tag(), "1");
  const auto unquoted = parse_name_addr("sipp <sip:sipp@172.18.195.83:5060>;tag=1");
  ASSERT_TRUE(unquoted.ok());
  EXPECT_EQ(unquoted->display_name, "sipp");
  // Bare addr-spec: params after the URI are header params (Diversion without brackets).
  const auto bare = parse_name_addr("sip:1000@10.0.0.1;reason=no-answer;privacy=off");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(bare->angle_brackets);
  EXPECT_EQ(bare->params.get("reason").value(), "no-answer");
  EXPECT_TRUE(bare->uri.params.empty());
  const auto empty_name = parse_name_addr("\"\" <sip:a@b>");
  ASSERT_TRUE(empty_name.ok());
  EXPECT_EQ(empty_name->display_name_text(), "");
}

TEST(NameAddr, CucmBlankUserIsTolerated) {
  // DIGEST-001 [563]: "From: <sip: @10.89.79.203>;tag=16777234".
  const auto from = parse_name_addr("<sip: @10.89.79.203>;tag=16777234");
  ASSERT_TRUE(from.ok());
  EXPECT_TRUE(from->uri.user.empty());
  EXPECT_EQ(from->uri.host, "10.89.79.203");
  EXPECT_EQ(from->tag(), "16777234");
  // Blank is tolerated, a space inside a user is not.
  EXPECT_EQ(parse_name_addr("<sip:a b@10.89.79.203>").error(), ParseError::kBadUri);
}

TEST(NameAddr, ListOfTwoIdentities) {
  const auto list = parse_name_addr_list(
      "\"Alice\" <sip:+14255550100@example.com;user=phone>, <tel:+14255550100>");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].uri.scheme, UriScheme::kTel);
}

TEST(NameAddr, Errors) {
  EXPECT_EQ(parse_name_addr("\"open <sip:a@b>").error(), ParseError::kUnterminatedQuote);
  EXPECT_EQ(parse_name_addr("<sip:a@b").error(), ParseError::kUnbalancedAngle);
  EXPECT_EQ(parse_name_addr("A, B <sip:a@b>").error(), ParseError::kBadHeaderValue);
  EXPECT_EQ(parse_name_addr("<sip:a@b>;tag=\"x").error(), ParseError::kUnterminatedQuote);
}

TEST(Via, Ipv6RportReceivedAndNoBranch) {
  const auto via = parse_via("SIP/2.0/TCP [2001:db8::5]:5070;rport=5070;received=[2001:db8::9]");
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(via->host, "[2001:db8::5]");
  EXPECT_EQ(via->port, 5070);
  EXPECT_EQ(via->rport().value(), "5070");
  EXPECT_EQ(via->received().value(), "[2001:db8::9]");
  EXPECT_TRUE(via->branch().empty());
  EXPECT_FALSE(via->is_rfc3261_branch());
  EXPECT_EQ(parse_via("SIP/2.0 UDP host").error(), ParseError::kBadHeaderValue);
}

TEST(ScalarHeaders, CSeqRAckSessionExpiresRetryAfter) {
  EXPECT_EQ(parse_cseq("101 INVITE")->number, 101u);
  EXPECT_EQ(parse_cseq("2147483648 INVITE").error(), ParseError::kBadNumber);
  const auto rack = parse_rack("776656 1 INVITE");
  ASSERT_TRUE(rack.ok());
  EXPECT_EQ(rack->rseq, 776656u);
  EXPECT_EQ(rack->method, "INVITE");
  const auto se = parse_session_expires("1800;refresher=uas");
  ASSERT_TRUE(se.ok());
  EXPECT_EQ(se->seconds, 1800u);
  EXPECT_EQ(se->refresher(), "uas");
  EXPECT_EQ(*parse_min_se("90"), 90u);
  const auto ra = parse_retry_after("120 (I'm in a meeting);duration=3600");
  ASSERT_TRUE(ra.ok());
  EXPECT_EQ(ra->comment, "I'm in a meeting");
  EXPECT_EQ(ra->params.get("duration").value(), "3600");
}

TEST(ScalarHeaders, ReasonEventSubscriptionStateReplaces) {
  const auto reason = parse_token_with_params("Q.850;cause=16;text=\"Normal call clearing\"");
  ASSERT_TRUE(reason.ok());
  EXPECT_EQ(reason->token, "Q.850");
  EXPECT_EQ(reason->param("cause"), "16");
  // CUCM sends a negative expires (DIGEST-001 line 846): tolerated, reported as absent.
  const auto state = parse_token_with_params("active;expires=-1281397684");
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(subscription_expires(*state).has_value());
  EXPECT_EQ(subscription_expires(*parse_token_with_params("active;expires=3600")).value(), 3600u);
  const auto replaces = parse_replaces("425928@bobster.example.org;to-tag=7743;from-tag=6472");
  ASSERT_TRUE(replaces.ok());
  EXPECT_EQ(replaces->call_id, "425928@bobster.example.org");
  EXPECT_EQ(replaces->to_tag(), "7743");
  EXPECT_FALSE(replaces->early_only());
}

TEST(ScalarHeaders, TokenListsIncludingPrivacySemicolons) {
  const auto tags = parse_token_list("timer, 100rel ,replaces");
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->size(), 3u);
  EXPECT_EQ(parse_token_list("id;header")->size(), 2u);
  EXPECT_EQ(parse_token_list("timer, bad tag").error(), ParseError::kBadHeaderValue);
}

TEST(AuthHeader, DigestChallengeAndCredentials) {
  const auto challenge = parse_auth_header(
      "DIGEST realm=\"siptrunk41\", nonce=\"YoK5FiEuXpeIlp52EnUWFLIU1m24t5gV\", algorithm=MD5");
  ASSERT_TRUE(challenge.ok());
  EXPECT_EQ(challenge->scheme, "DIGEST");
  EXPECT_EQ(challenge->get_unquoted("realm").value(), "siptrunk41");
  EXPECT_EQ(challenge->get("algorithm").value(), "MD5");
  EXPECT_FALSE(challenge->params[2].quoted);
  const auto creds = parse_auth_header(
      "Digest username=\"a\\\"b\", uri=\"sip:x@y\", qop=auth, nc=00000001, cnonce=\"c\"");
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->get_unquoted("username").value(), "a\"b");
  EXPECT_EQ(creds->get("nc").value(), "00000001");
  EXPECT_EQ(parse_auth_header("Digest realm=\"open").error(), ParseError::kUnterminatedQuote);
}

TEST(MediaType, MultipartBoundaryAndGwSdp) {
  const auto mp = parse_media_type("multipart/alternative; boundary=\"9dvaKhfh\"");
  ASSERT_TRUE(mp.ok());
  EXPECT_TRUE(mp->is_multipart());
  EXPECT_EQ(mp->boundary(), "9dvaKhfh");
  const auto gw = parse_media_type("application/gw-sdp; x-bypassid=9CD08A01-E998");
  ASSERT_TRUE(gw.ok());
  EXPECT_TRUE(gw->is("Application", "GW-SDP"));
  EXPECT_EQ(parse_media_type("sdp").error(), ParseError::kBadContentType);
}

}  // namespace
}  // namespace trunkgate::sip
