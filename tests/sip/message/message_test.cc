// SipMessage: framing, folding, limits, typed access through the message, building, serializing.
#include <gtest/gtest.h>

#include "sip/message/framing.h"
#include "sip/message/message.h"

namespace trunkgate::sip {
namespace {

constexpr std::string_view kOptions =
    "OPTIONS sip:gw@[2001:db8::1]:5060 SIP/2.0\r\n"
    "v: SIP/2.0/UDP [2001:db8::2];branch=z9hG4bK1, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK2\r\n"
    "f: <sip:a@example.com>;tag=x\r\n"
    "t: sip:gw@example.com\r\n"
    "i: opt-1\r\n"
    "CSeq: 7 OPTIONS\r\n"
    "Max-Forwards: 70\r\n"
    "Supported: timer\r\n"
    "Supported: 100rel\r\n"
    "k: replaces\r\n"
    "Diversion: sip:1000@10.0.0.1;reason=no-answer\r\n"
    "Subject: folded\r\n"
    "  over two lines\r\n"
    "l: 0\r\n"
    "\r\n";

TEST(SipMessage, CompactFormsRepeatedHeadersAndFolding) {
  const auto msg = SipMessage::parse(kOptions);
  ASSERT_TRUE(msg.ok()) << to_string(msg.failure());
  EXPECT_EQ(msg->method(), Method::kOptions);
  EXPECT_EQ(msg->request_uri()->host, "[2001:db8::1]");
  EXPECT_EQ(msg->vias()->size(), 2u);
  EXPECT_EQ(msg->top_via()->host, "[2001:db8::2]");
  EXPECT_EQ(msg->call_id(), "opt-1");
  EXPECT_EQ(msg->tokens(HeaderId::kSupported)->size(), 3u);
  EXPECT_TRUE(msg->has_option_tag(HeaderId::kSupported, "REPLACES"));
  EXPECT_EQ(msg->find(HeaderId::kSubject).value(), "folded    over two lines");
  const auto diversion = msg->name_addrs(HeaderId::kDiversion);
  ASSERT_TRUE(diversion.ok());
  EXPECT_EQ(diversion->front().params.get("reason").value(), "no-answer");
  EXPECT_EQ(msg->header_count(), 12u);
}

TEST(SipMessage, SerializeRoundTripsAndRewritesContentLength) {
  const auto msg = SipMessage::parse(kOptions);
  ASSERT_TRUE(msg.ok());
  const std::string text = msg->serialize();
  EXPECT_NE(text.find("Subject: folded    over two lines\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Length: 0\r\n\r\n"), std::string::npos);
  const auto again = SipMessage::parse(text);
  ASSERT_TRUE(again.ok()) << to_string(again.failure());
  EXPECT_EQ(again->serialize(), text);
}

TEST(SipMessage, CopiesKeepTheirOwnViews) {
  auto msg = SipMessage::parse(kOptions);
  ASSERT_TRUE(msg.ok());
  SipMessage copy = *msg;
  msg = SipMessage::parse("garbage");  // the original buffer is gone
  EXPECT_EQ(copy.call_id(), "opt-1");
}

TEST(SipMessage, BuildRequestWithBody) {
  SipMessage req =
      SipMessage::make_request("INVITE", "sip:+14085551234@trunk.example.net;user=phone");
  req.add_header(HeaderId::kVia, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKabc");
  req.add_header(HeaderId::kFrom, "<sip:a@example.com>;tag=1");
  req.add_header(HeaderId::kTo, "<sip:+14085551234@trunk.example.net;user=phone>");
  req.add_header(HeaderId::kCallId, "c1");
  req.add_header(HeaderId::kCSeq, "1 INVITE");
  req.add_header("X-Custom", "yes");
  req.prepend_header(HeaderId::kVia, "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKtop");
  req.set_body("application/sdp", "v=0\r\n");
  const auto parsed = SipMessage::parse(req.serialize());
  ASSERT_TRUE(parsed.ok()) << to_string(parsed.failure());
  EXPECT_EQ(parsed->top_via()->host, "192.0.2.9");
  EXPECT_EQ(parsed->body(), "v=0\r\n");
  EXPECT_EQ(parsed->content_length().value(), 5u);
  EXPECT_EQ(parsed->find("x-custom").value(), "yes");
  EXPECT_EQ(req.remove_headers(HeaderId::kVia), 2u);
}

TEST(SipMessage, BuildResponse) {
  SipMessage resp =
      SipMessage::make_response(400, bad_request_reason_phrase({ParseError::kBadHost, "Via"}));
  EXPECT_TRUE(resp.serialize().starts_with("SIP/2.0 400 Bad Request (malformed host: Via)\r\n"));
}

TEST(SipMessage, RejectionsCarryReasons) {
  EXPECT_EQ(SipMessage::parse("").error(), ParseError::kEmpty);
  EXPECT_EQ(SipMessage::parse("\r\n\r\n").error(), ParseError::kEmpty);
  EXPECT_EQ(SipMessage::parse("INVITE sip:a@b SIP/2.0\r\nTo: x\r\n").error(),
            ParseError::kNoHeaderEnd);
  EXPECT_EQ(SipMessage::parse("INVITE sip:a@b SIP/2.0\nTo: x\n\n").error(),
            ParseError::kBareLineFeed);
  EXPECT_EQ(SipMessage::parse("INVITE sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n").error(),
            ParseError::kBadHeaderName);
  EXPECT_EQ(SipMessage::parse("INVITE sip:a@b SIP/2.0\r\nTo: a\x01\r\n\r\n").error(),
            ParseError::kControlCharacter);
  const auto missing = SipMessage::parse("INVITE sip:a@b SIP/2.0\r\nTo: <sip:a@b>\r\n\r\n");
  EXPECT_EQ(missing.error(), ParseError::kMissingHeader);
}

TEST(SipMessage, LimitsBoundSizesAndCounts) {
  ParseLimits limits;
  limits.max_headers = 5;
  EXPECT_EQ(SipMessage::parse(kOptions, limits).error(), ParseError::kTooManyHeaders);
  limits = ParseLimits{};
  limits.max_message_size = 100;
  EXPECT_EQ(SipMessage::parse(kOptions, limits).error(), ParseError::kMessageTooLarge);
  limits = ParseLimits{};
  limits.max_header_length = 40;
  EXPECT_EQ(SipMessage::parse(kOptions, limits).error(), ParseError::kHeaderTooLong);
  limits = ParseLimits{};
  limits.max_list_values = 1;
  EXPECT_EQ(SipMessage::parse(kOptions, limits).error(), ParseError::kTooManyValues);
}

TEST(StreamFraming, CompleteIncompleteAndKeepAlive) {
  const std::string msg = std::string(kOptions);
  const auto frame = frame_stream_message("\r\n\r\n" + msg + "INVITE");
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->leading_crlf, 4u);
  EXPECT_EQ(frame->size, msg.size());
  const auto partial = frame_stream_message(msg.substr(0, 40));
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->complete());
  const auto body_pending = frame_stream_message("OPTIONS sip:a SIP/2.0\r\nl: 10\r\n\r\nabc");
  ASSERT_TRUE(body_pending.ok());
  EXPECT_FALSE(body_pending->complete());
  EXPECT_EQ(frame_stream_message("OPTIONS sip:a SIP/2.0\r\nTo: x\r\n\r\n").error(),
            ParseError::kMissingHeader);
  EXPECT_EQ(frame_stream_message("OPTIONS sip:a SIP/2.0\r\nl: -1\r\n\r\n").error(),
            ParseError::kBadContentLength);
}

}  // namespace
}  // namespace trunkgate::sip

namespace trunkgate::sip {
namespace {

// A minimal valid request with one extra header line, to test one rule at a time.
std::string request_with(std::string_view extra, std::string_view body = {}) {
  std::string msg =
      "OPTIONS sip:gw@example.net SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKp\r\n"
      "From: <sip:a@example.com>;tag=1\r\n"
      "To: <sip:gw@example.net>\r\n"
      "Call-ID: policy\r\n"
      "CSeq: 1 OPTIONS\r\n";
  msg += extra;
  msg += "\r\n";
  msg += body;
  return msg;
}

TEST(ParserPolicies, QuotedCommasDoNotSplitLists) {
  const auto msg =
      SipMessage::parse(request_with("Contact: \"Doe, John\" <sip:a@b>, <sip:c@d>\r\n"));
  ASSERT_TRUE(msg.ok()) << to_string(msg.failure());
  const auto contacts = msg->contacts();
  ASSERT_TRUE(contacts.ok());
  ASSERT_EQ(contacts->size(), 2u);
  EXPECT_EQ((*contacts)[0].display_name_text(), "Doe, John");
  EXPECT_EQ((*contacts)[1].uri.user, "c");
}

TEST(ParserPolicies, ScalarAndSyntaxChecksAtParseTime) {
  EXPECT_EQ(SipMessage::parse(request_with("Max-Forwards: 256\r\n")).error(),
            ParseError::kBadNumber);
  EXPECT_TRUE(SipMessage::parse(request_with("Max-Forwards: 255\r\n")).ok());
  EXPECT_EQ(SipMessage::parse(request_with("Warning: 39 h \"x\"\r\n")).error(),
            ParseError::kBadHeaderValue);
  EXPECT_TRUE(SipMessage::parse(request_with("Warning: 399 h \"x\", 370 h \"y\"\r\n")).ok());
  EXPECT_EQ(SipMessage::parse(request_with("Retry-After: 99999999999\r\n")).error(),
            ParseError::kBadNumber);
  std::string spaced_call_id = request_with("");
  spaced_call_id.replace(spaced_call_id.find("Call-ID: policy"), 15, "Call-ID: two words");
  EXPECT_EQ(SipMessage::parse(spaced_call_id).error(), ParseError::kBadHeaderValue);
  EXPECT_EQ(SipMessage::parse(request_with("To: <sip:x@y>\r\n")).error(),
            ParseError::kDuplicateHeader);
  EXPECT_EQ(SipMessage::parse(request_with("Route: <sip:p1;lr>, <sip:p2;lr\r\n")).error(),
            ParseError::kUnbalancedAngle);
  // Headers without a syntax rule at this layer are kept verbatim, however odd.
  const auto odd = SipMessage::parse(request_with("X-Odd: <<\"\r\n"));
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->find("x-odd").value(), "<<\"");
}

TEST(ParserPolicies, BackslashEscapesControlsButNotLineEnds) {
  // RFC 3261 word allows '\' in a Call-ID, so one may end the line.
  std::string call_id = request_with("");
  call_id.replace(call_id.find("Call-ID: policy"), 15, "Call-ID: ends-in\\");
  const auto msg = SipMessage::parse(call_id);
  ASSERT_TRUE(msg.ok()) << to_string(msg.failure());
  EXPECT_EQ(msg->call_id(), "ends-in\\");
  EXPECT_EQ(SipMessage::parse(request_with("X-A: \"q\\\x01\"\r\n")).error(), ParseError::kNone);
  EXPECT_EQ(SipMessage::parse(request_with("X-A: \"q\x01\"\r\n")).error(),
            ParseError::kControlCharacter);
}

TEST(ParserPolicies, BodyFramingRules) {
  // Datagram: bytes beyond Content-Length are ignored (RFC 3261 18.3), fewer are an error.
  const auto extra = SipMessage::parse(request_with("Content-Length: 2\r\n", "abcdef"));
  ASSERT_TRUE(extra.ok());
  EXPECT_EQ(extra->body(), "ab");
  EXPECT_EQ(SipMessage::parse(request_with("Content-Length: 7\r\n", "abcdef")).error(),
            ParseError::kBadContentLength);
  // Without Content-Length the body is the rest of the datagram.
  EXPECT_EQ(SipMessage::parse(request_with("", "abc"))->body(), "abc");
  ParseLimits limits;
  limits.max_body_size = 4;
  EXPECT_EQ(SipMessage::parse(request_with("Content-Length: 6\r\n", "abcdef"), limits).error(),
            ParseError::kBodyTooLarge);
}

TEST(ParserPolicies, ResponsesAndStartLines) {
  const std::string headers =
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKp\r\nFrom: <sip:a@b>;tag=1\r\n"
      "To: <sip:c@d>;tag=2\r\nCall-ID: r\r\nCSeq: 1 INVITE\r\n\r\n";
  const auto ok = SipMessage::parse("SIP/2.0 183 Session Progress\r\n" + headers);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status_code(), 183);
  EXPECT_EQ(ok->reason_phrase(), "Session Progress");
  EXPECT_EQ(SipMessage::parse("SIP/2.0 099 Low\r\n" + headers).error(), ParseError::kBadStatusCode);
  EXPECT_EQ(SipMessage::parse("SIP/3.0 200 OK\r\n" + headers).error(), ParseError::kBadVersion);
  EXPECT_EQ(SipMessage::parse("INV(ITE sip:a@b SIP/2.0\r\n" + headers).error(),
            ParseError::kBadMethod);
  // A response's CSeq method is whatever the request was: no mismatch check.
  EXPECT_EQ(ok->cseq()->method, "INVITE");
}

}  // namespace
}  // namespace trunkgate::sip
