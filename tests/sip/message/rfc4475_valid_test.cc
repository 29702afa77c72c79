// RFC 4475 section 3.1.1 (valid syntax) and the messages of 3.2-3.4 that are well-formed and are
// left to the transaction or application layer: each must parse, with the values asserted.
// Typed results are views into their message, so a message stays in a variable while its results
// are used (a temporary would be gone by the next statement).
#include <gtest/gtest.h>

#include "sip/message/message.h"
#include "sip/message/multipart.h"
#include "sip/message/text.h"
#include "sip/sdp/message_sdp.h"
#include "tests/sip/corpus_file.h"

namespace trunkgate::sip {
namespace {

SipMessage parse_valid(const std::string& name) {
  auto msg = SipMessage::parse(test::read_corpus("rfc4475/valid/" + name + ".sip"));
  EXPECT_TRUE(msg.ok()) << name << ": " << (msg ? "" : to_string(msg.failure()));
  return msg ? std::move(msg).value() : SipMessage::make_request("INVALID", "sip:invalid");
}

TEST(Rfc4475Valid, WsinvShortTortuousInvite) {  // 3.1.1.1
  const SipMessage msg = parse_valid("wsinv");
  EXPECT_EQ(msg.method(), Method::kInvite);
  EXPECT_EQ(msg.request_uri()->params.raw(), ";unknownparam");
  EXPECT_EQ(msg.to()->tag(), "1918181833n");
  EXPECT_EQ(msg.from()->tag(), "98asjd8");
  EXPECT_EQ(msg.from()->display_name_text(), "J Rosenberg \\\"");
  EXPECT_EQ(*msg.max_forwards(), 68u);
  EXPECT_EQ(msg.cseq()->number, 9u);
  EXPECT_EQ(msg.cseq()->method, "INVITE");
  const auto vias = msg.vias();
  ASSERT_TRUE(vias.ok());
  ASSERT_EQ(vias->size(), 3u);
  EXPECT_EQ((*vias)[0].transport, "UDP");
  EXPECT_EQ((*vias)[0].host, "192.0.2.2");
  EXPECT_EQ((*vias)[1].transport, "TCP");
  EXPECT_EQ((*vias)[1].branch(), "z9hG4bK9ikj8");
  EXPECT_EQ((*vias)[2].host, "192.168.255.111");
  EXPECT_EQ((*vias)[2].branch(), "z9hG4bK30239");
  EXPECT_EQ(msg.find("NewFangledHeader").value(), "newfangled value   continued newfangled value");
  EXPECT_EQ(msg.find("UnknownHeaderWithUnusualValue").value(), ";;,,;;,;");
  EXPECT_EQ(msg.find(HeaderId::kSubject).value(), "");
  const auto contacts = msg.contacts();
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 1u);
  EXPECT_EQ((*contacts)[0].display_name_text(), "Quoted string \"\"");
  EXPECT_EQ((*contacts)[0].params.get("newparam").value(), "newvalue");
  EXPECT_EQ((*contacts)[0].params.get("q").value(), "0.33");
  EXPECT_TRUE((*contacts)[0].params.has("secondparam"));
  EXPECT_EQ(msg.body().size(), 150u);
  const auto sdps = sdp::sdp_parts(msg);
  ASSERT_TRUE(sdps.ok());
  ASSERT_EQ(sdps->size(), 1u);
  EXPECT_EQ((*sdps)[0].sdp.media.size(), 2u);
}

TEST(Rfc4475Valid, IntmethWideRangeOfCharacters) {  // 3.1.1.2
  const SipMessage msg = parse_valid("intmeth");
  EXPECT_EQ(msg.method(), Method::kOther);
  EXPECT_EQ(msg.method_text(), "!interesting-Method0123456789_*+`.%indeed'~");
  const auto uri = msg.request_uri();
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(uri->user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(uri->password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(uri->host, "example.com");
  EXPECT_EQ(msg.call_id(), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  EXPECT_EQ(msg.from()->tag(), "_token~1'+`*%!-.");
  EXPECT_EQ(msg.to()->display_name_text(), std::string("BEL:\x07 NUL:\0 DEL:\x7f", 17));
  EXPECT_EQ(*msg.max_forwards(), 255u);
}

TEST(Rfc4475Valid, Esc01EscapesStayEscapedUntilCompared) {  // 3.1.1.3
  const SipMessage msg = parse_valid("esc01");
  EXPECT_EQ(msg.request_uri()->user, "sips%3Auser%40example.com");
  EXPECT_EQ(unescape(msg.request_uri()->user).value(), "sips:user@example.com");
  EXPECT_EQ(unescape(msg.to()->uri.user).value(), "user");
  const auto contacts = msg.contacts();
  ASSERT_TRUE(contacts.ok());
  EXPECT_EQ(unescape((*contacts)[0].uri.params.get("n%61me").value()).value(), "value%41");
}

TEST(Rfc4475Valid, EscnullEscapedNulls) {  // 3.1.1.4
  const SipMessage msg = parse_valid("escnull");
  EXPECT_EQ(unescape(msg.to()->uri.user).value(), std::string("null-\0-null", 11));
  EXPECT_EQ(msg.contacts()->size(), 2u);
}

TEST(Rfc4475Valid, Esc02PercentInMethodAndUnknownHeaderName) {  // 3.1.1.5
  const SipMessage msg = parse_valid("esc02");
  EXPECT_EQ(msg.method_text(), "RE%47IST%45R");
  EXPECT_EQ(msg.method(), Method::kOther);  // not REGISTER: methods are not unescaped
  EXPECT_EQ(msg.contacts()->size(), 2u);    // C%6Fntact is another header
  EXPECT_EQ(msg.find("C%6Fntact").value(), "<sip:alias2@host2.example.com>");
  EXPECT_EQ(msg.to()->display_name_text(), "%Z%45");
}

TEST(Rfc4475Valid, LwsdispNoSpaceBeforeAngle) {  // 3.1.1.6
  const SipMessage msg = parse_valid("lwsdisp");
  EXPECT_EQ(msg.from()->display_name, "caller");
  EXPECT_EQ(msg.from()->uri.user, "caller");
}

TEST(Rfc4475Valid, LongreqLongValues) {  // 3.1.1.7
  const SipMessage msg = parse_valid("longreq");
  const auto vias = msg.vias();
  ASSERT_TRUE(vias.ok());
  EXPECT_EQ(vias->size(), 34u);
  EXPECT_EQ((*vias)[0].host, "sip33.example.com");
  EXPECT_EQ(msg.to()->uri.port, 6000);
  EXPECT_EQ(msg.call_id().size(), std::string("longreq.one").size() + 6 * 20 + 10);
}

TEST(Rfc4475Valid, DblreqTrailingOctetsIgnored) {  // 3.1.1.8
  const SipMessage msg = parse_valid("dblreq");
  EXPECT_EQ(msg.method(), Method::kRegister);
  EXPECT_TRUE(msg.body().empty());
  EXPECT_EQ(msg.serialize().find("INVITE"), std::string::npos);
}

TEST(Rfc4475Valid, SemiuriParamsInUserPart) {  // 3.1.1.9
  const SipMessage msg = parse_valid("semiuri");
  EXPECT_EQ(unescape(msg.request_uri()->user).value(), "user;par=u@example.net");
  EXPECT_EQ(msg.request_uri()->host, "example.com");
  EXPECT_EQ(msg.list(HeaderId::kAccept)->size(), 6u);
}

TEST(Rfc4475Valid, TransportsVariedAndUnknown) {  // 3.1.1.10
  const SipMessage msg = parse_valid("transports");
  const auto vias = msg.vias();
  ASSERT_TRUE(vias.ok());
  ASSERT_EQ(vias->size(), 5u);
  EXPECT_EQ((*vias)[1].transport, "SCTP");
  EXPECT_EQ((*vias)[3].transport, "UNKNOWN");
}

TEST(Rfc4475Valid, Mpart01BinaryMultipart) {  // 3.1.1.11
  const SipMessage msg = parse_valid("mpart01");
  EXPECT_EQ(msg.body().size(), 553u);
  const auto type = msg.content_type();
  ASSERT_TRUE(type.ok());
  const auto parts = parse_multipart(msg.body(), type->boundary());
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, "Hello");
  EXPECT_EQ((*parts)[1].content_type(), "application/octet-stream");
  EXPECT_EQ((*parts)[1].body.size(), 342u);
}

TEST(Rfc4475Valid, UnreasonUtf8ReasonPhrase) {  // 3.1.1.12
  const SipMessage msg = parse_valid("unreason");
  EXPECT_EQ(msg.status_code(), 200);
  EXPECT_TRUE(msg.reason_phrase().starts_with("= 2**3 * 5**2 "));
}

TEST(Rfc4475Valid, NoreasonEmptyReasonPhrase) {  // 3.1.1.13
  const SipMessage msg = parse_valid("noreason");
  EXPECT_EQ(msg.status_code(), 100);
  EXPECT_EQ(msg.reason_phrase(), "");
}

TEST(Rfc4475Valid, BadbranchIsATransactionLayerMatter) {  // 3.2.1
  const SipMessage msg = parse_valid("badbranch");
  EXPECT_EQ(msg.top_via()->branch(), "z9hG4bK");
  EXPECT_TRUE(msg.top_via()->is_rfc3261_branch());
}

// 3.3.2-3.3.4: unknown or atypical URI schemes; answering 416 is the application's decision.
TEST(Rfc4475Valid, UnknownSchemesParseAsOpaqueUris) {
  EXPECT_EQ(parse_valid("unkscm").request_uri()->opaque, "totallyopaquecontent");
  EXPECT_EQ(parse_valid("novelsc").request_uri()->scheme_name, "soap.beep");
  const SipMessage msg = parse_valid("unksm2");
  EXPECT_EQ(msg.to()->uri.scheme, UriScheme::kOther);
  EXPECT_EQ(msg.from()->uri.scheme_name, "http");
  EXPECT_EQ(msg.contacts()->front().uri.opaque, "John_Smith");
}

TEST(Rfc4475Valid, Bext01RequireAndProxyRequireTokens) {  // 3.3.5: 420 is upper-layer
  const SipMessage msg = parse_valid("bext01");
  EXPECT_EQ(msg.tokens(HeaderId::kRequire)->size(), 2u);
  EXPECT_TRUE(msg.has_option_tag(HeaderId::kProxyRequire, "noProxiesSupportThis"));
}

TEST(Rfc4475Valid, InvutUnknownContentTypeCarriesNoSdp) {  // 3.3.6: 415 is upper-layer
  const SipMessage msg = parse_valid("invut");
  EXPECT_TRUE(msg.content_type()->is("application", "unknownformat"));
  EXPECT_TRUE(sdp::sdp_parts(msg)->empty());
}

TEST(Rfc4475Valid, Regaut01UnknownAuthScheme) {  // 3.3.7
  const SipMessage auth_msg = parse_valid("regaut01");
  const auto auth = auth_msg.auth_headers(HeaderId::kAuthorization);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth->front().scheme, "NoOneKnowsThisScheme");
  EXPECT_EQ(auth->front().get("opaque-data").value(), "here");
}

TEST(Rfc4475Valid, BcastZeromfCparamRegescrtSdp01Inv2543) {  // 3.3.10-3.3.15, 3.4.1
  EXPECT_EQ(parse_valid("bcast").vias()->at(1).host, "255.255.255.255");
  EXPECT_EQ(*parse_valid("zeromf").max_forwards(), 0u);
  // Without brackets the ;unknownparam is a header param; with brackets it is a URI param.
  EXPECT_TRUE(parse_valid("cparam01").contacts()->front().params.has("unknownparam"));
  EXPECT_TRUE(parse_valid("cparam02").contacts()->front().uri.params.has("unknownparam"));
  EXPECT_EQ(parse_valid("regescrt").contacts()->front().uri.headers,
            "Route=%3Csip:sip.example.com%3E");
  EXPECT_EQ(sdp::sdp_parts(parse_valid("sdp01"))->size(), 1u);
  const SipMessage old = parse_valid("inv2543");
  EXPECT_TRUE(old.top_via()->branch().empty());
  EXPECT_FALSE(old.max_forwards().ok());
  EXPECT_TRUE(old.from()->tag().empty());
  // Without angle brackets ";user=phone" is a To header parameter, not a URI parameter.
  EXPECT_EQ(old.to()->params.get("user").value(), "phone");
  EXPECT_FALSE(old.to()->uri.is_phone());
}

}  // namespace
}  // namespace trunkgate::sip
