// RFC 4475 section 3.1.2 (invalid syntax) and the 3.3 messages this layer rejects: each must be
// rejected with the specific reason a 400 response would carry.
#include <gtest/gtest.h>

#include "sip/message/message.h"
#include "tests/sip/corpus_file.h"

namespace trunkgate::sip {
namespace {

struct Expected {
  const char* name;
  ParseError code;
  const char* element;
};

class Rfc4475Invalid : public testing::TestWithParam<Expected> {};

TEST_P(Rfc4475Invalid, RejectedForTheRightReason) {
  const Expected& e = GetParam();
  const auto msg =
      SipMessage::parse(test::read_corpus(std::string("rfc4475/invalid/") + e.name + ".sip"));
  ASSERT_FALSE(msg.ok()) << e.name;
  EXPECT_EQ(msg.error(), e.code) << e.name << ": " << to_string(msg.failure());
  EXPECT_EQ(msg.failure().element, e.element) << e.name;
}

INSTANTIATE_TEST_SUITE_P(
    Section3, Rfc4475Invalid,
    testing::Values(
        Expected{"badinv01", ParseError::kBadParam, "Via"},                           // 3.1.2.1
        Expected{"clerr", ParseError::kBadContentLength, "9999"},                     // 3.1.2.2
        Expected{"ncl", ParseError::kBadContentLength, "-999"},                       // 3.1.2.3
        Expected{"scalar02", ParseError::kBadNumber, "CSeq"},                         // 3.1.2.4
        Expected{"scalarlg", ParseError::kBadNumber, "CSeq"},                         // 3.1.2.5
        Expected{"quotbal", ParseError::kUnterminatedQuote, "To"},                    // 3.1.2.6
        Expected{"ltgtruri", ParseError::kBadRequestUri, "<sip:user@example.com>"},   // 3.1.2.7
        Expected{"lwsruri", ParseError::kBadRequestUri, "sip:user@example.com; lr"},  // 3.1.2.8
        Expected{"lwsstart", ParseError::kBadStartLine,
                 "INVITE  sip:user@example.com  SIP/2.0"},  // 3.1.2.9
        Expected{"trws", ParseError::kBadStartLine,
                 "OPTIONS sip:remote-target@example.com SIP/2.0  "},  // 3.1.2.10
        Expected{"escruri", ParseError::kBadRequestUri,
                 "sip:user@example.com?Route=%3Csip:example.com%3E"},       // 3.1.2.11
        Expected{"baddate", ParseError::kBadHeaderValue, "Date"},           // 3.1.2.12
        Expected{"regbadct", ParseError::kBadUri, "Contact"},               // 3.1.2.13
        Expected{"badaspec", ParseError::kBadUri, "To"},                    // 3.1.2.14
        Expected{"baddn", ParseError::kBadHeaderValue, "From"},             // 3.1.2.15
        Expected{"badvers", ParseError::kBadVersion, "SIP/7.0"},            // 3.1.2.16
        Expected{"mismatch01", ParseError::kCSeqMethodMismatch, "INVITE"},  // 3.1.2.17
        Expected{"mismatch02", ParseError::kCSeqMethodMismatch, "INVITE"},  // 3.1.2.18
        Expected{"bigcode", ParseError::kBadStatusCode, "4294967301"},      // 3.1.2.19
        // 3.3.1: the RFC leaves the 400 to the element; this layer enforces mandatory headers.
        Expected{"insuf", ParseError::kMissingHeader, "From"},
        // 3.3.8 and 3.3.9: repeated single-value headers make the message ambiguous.
        Expected{"multi01", ParseError::kDuplicateHeader, "From"},
        Expected{"mcl01", ParseError::kDuplicateHeader, "Content-Length"}),
    [](const testing::TestParamInfo<Expected>& info) { return std::string(info.param.name); });

TEST(Rfc4475InvalidReason, BadRequestTextNamesTheReason) {
  const auto msg = SipMessage::parse(test::read_corpus("rfc4475/invalid/badvers.sip"));
  ASSERT_FALSE(msg.ok());
  EXPECT_EQ(bad_request_reason_phrase(msg.failure()),
            "Bad Request (unsupported SIP version: SIP/7.0)");
  EXPECT_EQ(bad_request_warning(msg.failure(), "gw.example.net"),
            "399 gw.example.net \"unsupported SIP version: SIP/7.0\"");
}

}  // namespace
}  // namespace trunkgate::sip
