// Requests that fail to parse are answered with 400 and the precise reason (RFC 3261 21.4.1),
// when enough of them is readable to address a response; hostile bytes are never reflected.
#include <gtest/gtest.h>

#include "sip/transaction/bad_request.h"
#include "tests/sip/transaction/transaction_fixture.h"

namespace trunkgate::sip::testing {
namespace {

// Content-Length larger than the body: a precise, common rejection.
const std::string kBadInvite =
    "INVITE sip:+19665551234@gw.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bK-1\r\n"
    "v: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-0\r\n"
    "f: <sip:+14665554321@pbx.example.com>;tag=a1\r\n"
    "t: <sip:+19665551234@gw.example.com>\r\n"
    "i: call-1@pbx\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 500\r\n"
    "\r\n"
    "v=0\r\n";

TEST_F(TransactionTest, UnparseableRequestIsAnsweredWith400AndTheReason) {
  Receive(kBadInvite);
  ASSERT_EQ(sender_.sent.size(), 1u);
  const SipMessage r = sender_.Last();
  EXPECT_EQ(r.status_code(), 400);
  EXPECT_NE(r.reason_phrase().find("Content-Length"), std::string::npos) << r.reason_phrase();
  EXPECT_EQ(r.vias()->size(), 2u);  // both Vias, in order, compact form expanded
  EXPECT_EQ(r.call_id(), "call-1@pbx");
  EXPECT_EQ(r.cseq()->number, 1u);
  EXPECT_FALSE(r.to()->tag().empty());  // a To tag is added
  EXPECT_NE(std::string(sender_.sent[0]).find("\r\nWarning: 399 gw.test "), std::string::npos)
      << sender_.sent[0];
  EXPECT_EQ(sender_.targets[0].endpoint, Peer());
  EXPECT_EQ(layer_.stats().bad_requests_answered, 1u);
  EXPECT_TRUE(requests_.empty());  // the TU never sees it
}

TEST(BadRequest, NoAnswerWithoutTheHeadersAResponseNeedsOrForAckOrResponses) {
  const ParseFailure f(ParseError::kBadContentLength, "Content-Length");
  std::string no_call_id = kBadInvite;
  no_call_id.erase(no_call_id.find("i: call-1@pbx\r\n"), 15);
  EXPECT_FALSE(MakeBadRequestResponse(no_call_id, f, "gw"));
  std::string ack = kBadInvite;
  ack.replace(0, 6, "ACK");
  EXPECT_FALSE(MakeBadRequestResponse(ack, f, "gw"));
  EXPECT_FALSE(MakeBadRequestResponse("SIP/2.0 200 OK\r\nVia: x\r\n\r\n", f, "gw"));
  EXPECT_FALSE(MakeBadRequestResponse("\x01\x02garbage", f, "gw"));
  EXPECT_FALSE(MakeBadRequestResponse("", f, "gw"));
}

TEST(BadRequest, ControlBytesInACopiedHeaderAreNeverReflected) {
  const ParseFailure f(ParseError::kControlCharacter, "Call-ID");
  std::string evil = kBadInvite;
  evil.replace(evil.find("call-1@pbx"), 10, std::string("x\0y\x1b[2J", 8));
  // The Call-ID cannot be copied safely, so there is no response at all.
  EXPECT_FALSE(MakeBadRequestResponse(evil, f, "gw"));
  // Folded lines are joined, so a continuation cannot inject a header.
  std::string folded = kBadInvite;
  folded.replace(folded.find("i: call-1@pbx\r\n"), 15, "i: call-1\r\n @pbx\r\n");
  const auto r = MakeBadRequestResponse(folded, f, "gw");
  ASSERT_TRUE(r);
  EXPECT_NE(r->find("\r\nCall-ID: call-1 @pbx\r\n"), std::string::npos) << *r;
}

}  // namespace
}  // namespace trunkgate::sip::testing
