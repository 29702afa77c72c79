#include "sip/dialog/reliable_provisional.h"

#include <gtest/gtest.h>

#include "tests/sip/transaction/manual_scheduler.h"

namespace trunkgate::sip {
namespace {

using std::chrono::milliseconds;

SipMessage Ringing() {
  return SipMessage::parse(
             "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
             "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 7 INVITE\r\n"
             "Content-Length: 0\r\n\r\n")
      .value();
}

SipMessage Prack(const std::string& rack) {
  return SipMessage::parse(
             "PRACK sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK2\r\n"
             "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: c\r\n"
             "CSeq: 8 PRACK\r\nRAck: " +
             rack + "\r\nContent-Length: 0\r\n\r\n")
      .value();
}

class ReliableProvisionalTest : public ::testing::Test {
 protected:
  testing::ManualScheduler scheduler_;
  std::vector<std::string> sent_;
  int timeouts_ = 0;
  ReliableProvisionalSender sender_{scheduler_, TransactionTimers{}, 7,
                                    [this](const SipMessage& m) {
                                      sent_.push_back(m.serialize());
                                      return true;
                                    },
                                    [this] { ++timeouts_; }};
};

TEST_F(ReliableProvisionalTest, RetransmitsUntilPrackedAndHoldsTheNextBack) {
  ASSERT_TRUE(sender_.Send(Ringing()));
  const SipMessage first = SipMessage::parse(sent_[0]).value();
  EXPECT_TRUE(first.has_option_tag(HeaderId::kRequire, "100rel"));
  const std::uint32_t rseq = first.rseq().value();
  EXPECT_GE(rseq, 1u);
  EXPECT_FALSE(sender_.Send(Ringing()));  // one unacknowledged at a time
  scheduler_.Advance(milliseconds(500));
  scheduler_.Advance(milliseconds(1000));
  EXPECT_EQ(sent_.size(), 3u);
  EXPECT_FALSE(sender_.OnPrack(Prack(std::to_string(rseq + 1) + " 7 INVITE")));
  EXPECT_FALSE(sender_.OnPrack(Prack(std::to_string(rseq) + " 6 INVITE")));
  EXPECT_TRUE(sender_.OnPrack(Prack(std::to_string(rseq) + " 7 INVITE")));
  scheduler_.Advance(milliseconds(10000));
  EXPECT_EQ(sent_.size(), 3u);
  ASSERT_TRUE(sender_.Send(Ringing()));
  EXPECT_EQ(SipMessage::parse(sent_.back()).value().rseq().value(), rseq + 1);
  EXPECT_EQ(timeouts_, 0);
}

TEST_F(ReliableProvisionalTest, GivesUpAfter64T1WithoutPrack) {
  ASSERT_TRUE(sender_.Send(Ringing()));
  scheduler_.Advance(milliseconds(31999));
  EXPECT_EQ(timeouts_, 0);
  scheduler_.Advance(milliseconds(1));
  EXPECT_EQ(timeouts_, 1);
  EXPECT_FALSE(sender_.awaiting_prack());
}

SipMessage ReliableRinging(std::uint32_t rseq) {
  SipMessage response = Ringing();
  response.add_header(HeaderId::kRequire, "100rel");
  response.add_header(HeaderId::kRSeq, std::to_string(rseq));
  return response;
}

TEST(ReliableProvisionalReceiver, AcknowledgesInOrderDropsDuplicatesAndGaps) {
  ReliableProvisionalReceiver receiver;
  using Verdict = ReliableProvisionalReceiver::Verdict;
  EXPECT_EQ(receiver.OnProvisional(Ringing()), Verdict::kUnreliable);
  EXPECT_EQ(receiver.OnProvisional(ReliableRinging(100)), Verdict::kAcknowledge);
  EXPECT_EQ(receiver.OnProvisional(ReliableRinging(100)), Verdict::kDuplicate);
  EXPECT_EQ(receiver.OnProvisional(ReliableRinging(102)), Verdict::kOutOfOrder);
  EXPECT_EQ(receiver.OnProvisional(ReliableRinging(101)), Verdict::kAcknowledge);
  EXPECT_EQ(ReliableProvisionalReceiver::RAck(ReliableRinging(101)), "101 7 INVITE");
}

}  // namespace
}  // namespace trunkgate::sip
