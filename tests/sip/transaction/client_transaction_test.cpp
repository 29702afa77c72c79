#include <gtest/gtest.h>

#include "tests/sip/transaction/transaction_fixture.h"

namespace trunkgate::sip::testing {
namespace {

constexpr const char* kBranch = "z9hG4bKclient1";

TEST_F(TransactionTest, InviteOverUdpRetransmitsWithTimerAUntilTimerB) {
  ASSERT_TRUE(Send(RequestText("INVITE", kBranch)));
  EXPECT_EQ(sender_.sent.size(), 1u);
  scheduler_.Advance(milliseconds(499));
  EXPECT_EQ(sender_.sent.size(), 1u);
  scheduler_.Advance(milliseconds(1));  // 500 ms: A = T1
  EXPECT_EQ(sender_.sent.size(), 2u);
  scheduler_.Advance(milliseconds(1000));  // 1.5 s: A doubled
  EXPECT_EQ(sender_.sent.size(), 3u);
  scheduler_.Advance(milliseconds(2000));  // 3.5 s
  EXPECT_EQ(sender_.sent.size(), 4u);
  EXPECT_TRUE(client_failures_.empty());
  scheduler_.Advance(milliseconds(32000 - 3500));  // B = 64*T1; A fired at 7.5, 15.5, 31.5 s
  EXPECT_EQ(sender_.sent.size(), 7u);
  ASSERT_EQ(client_failures_.size(), 1u);
  EXPECT_NE(client_failures_[0].find("timer B"), std::string::npos);
  scheduler_.Advance(milliseconds(0));
  EXPECT_EQ(layer_.client_count(), 0u);
}

TEST_F(TransactionTest, InviteFailureIsAckedInTheTransactionAndRetransmissionsAbsorbed) {
  ASSERT_TRUE(Send(RequestText("INVITE", kBranch)));
  Receive(ResponseText(100, kBranch, "INVITE"));
  scheduler_.Advance(milliseconds(5000));
  EXPECT_EQ(sender_.sent.size(), 1u);  // a provisional stops timer A
  Receive(ResponseText(486, kBranch, "INVITE"));
  ASSERT_EQ(sender_.sent.size(), 2u);
  const SipMessage ack = sender_.Last();
  EXPECT_EQ(ack.method_text(), "ACK");
  EXPECT_EQ(ack.request_uri_text(), "sip:bob@192.0.2.10");
  EXPECT_EQ(ack.to()->tag(), "tb");
  EXPECT_EQ(ack.cseq()->number, 1u);
  EXPECT_EQ(ack.cseq()->method, "ACK");
  EXPECT_EQ(ack.top_via()->branch(), kBranch);
  Receive(ResponseText(486, kBranch, "INVITE"));  // our ACK was lost
  EXPECT_EQ(sender_.Count("ACK"), 2u);
  EXPECT_EQ(responses_, (std::vector<int>{100, 486}));
  scheduler_.Advance(milliseconds(31999));
  EXPECT_EQ(layer_.client_count(), 1u);  // timer D (32 s) keeps it for retransmissions
  scheduler_.Advance(milliseconds(1));
  EXPECT_EQ(layer_.client_count(), 0u);
}

TEST_F(TransactionTest, InviteOverTcpNeverRetransmitsAndEndsAtOnce) {
  ASSERT_TRUE(Send(RequestText("INVITE", kBranch), TransportProtocol::kTcp));
  scheduler_.Advance(milliseconds(20000));
  EXPECT_EQ(sender_.sent.size(), 1u);
  Receive(ResponseText(503, kBranch, "INVITE"));
  EXPECT_EQ(sender_.Count("ACK"), 1u);
  scheduler_.Advance(milliseconds(0));
  EXPECT_EQ(layer_.client_count(), 0u);
}

TEST_F(TransactionTest, Invite2xxRetransmissionsReachTheTuUntilTimerM) {
  ASSERT_TRUE(Send(RequestText("INVITE", kBranch)));
  Receive(ResponseText(200, kBranch, "INVITE"));
  Receive(ResponseText(200, kBranch, "INVITE"));
  EXPECT_EQ(responses_, (std::vector<int>{200, 200}));
  EXPECT_EQ(sender_.Count("ACK"), 0u);  // the ACK for a 2xx is the dialog's business
  scheduler_.Advance(milliseconds(32000));
  EXPECT_EQ(layer_.client_count(), 0u);
  Receive(ResponseText(200, kBranch, "INVITE"));
  EXPECT_EQ(strays_, 1);
}

TEST_F(TransactionTest, NonInviteRetransmitsUpToT2ThenTimerF) {
  ASSERT_TRUE(Send(RequestText("OPTIONS", kBranch)));
  scheduler_.Advance(milliseconds(7500));  // E at 0.5, 1.5, 3.5, 7.5 s
  EXPECT_EQ(sender_.sent.size(), 5u);
  scheduler_.Advance(milliseconds(4000));  // capped at T2 = 4 s
  EXPECT_EQ(sender_.sent.size(), 6u);
  scheduler_.Advance(milliseconds(32000 - 11500));
  ASSERT_EQ(client_failures_.size(), 1u);
  EXPECT_NE(client_failures_[0].find("timer F"), std::string::npos);
}

TEST_F(TransactionTest, NonInviteProceedingRetransmitsAtT2AndCompletedAbsorbs) {
  ASSERT_TRUE(Send(RequestText("REGISTER", kBranch)));
  Receive(ResponseText(100, kBranch, "REGISTER"));
  scheduler_.Advance(milliseconds(500));  // E still fires in Proceeding...
  EXPECT_EQ(sender_.sent.size(), 2u);
  scheduler_.Advance(milliseconds(3999));  // ...then every T2
  EXPECT_EQ(sender_.sent.size(), 2u);
  scheduler_.Advance(milliseconds(1));
  EXPECT_EQ(sender_.sent.size(), 3u);
  Receive(ResponseText(401, kBranch, "REGISTER"));
  Receive(ResponseText(401, kBranch, "REGISTER"));
  EXPECT_EQ(responses_, (std::vector<int>{100, 401}));
  scheduler_.Advance(milliseconds(5000));  // timer K = T4
  EXPECT_EQ(layer_.client_count(), 0u);
  EXPECT_EQ(sender_.sent.size(), 3u);
}

TEST_F(TransactionTest, TransportErrorFailsTheTransaction) {
  sender_.fail = true;
  ASSERT_TRUE(Send(RequestText("INVITE", kBranch)));
  ASSERT_EQ(client_failures_.size(), 1u);
  EXPECT_EQ(client_failures_[0], "transport error");
  scheduler_.Advance(milliseconds(0));
  EXPECT_EQ(layer_.client_count(), 0u);
}

TEST_F(TransactionTest, AClosedConnectionFailsOnlyTransactionsStillWaitingOnIt) {
  ASSERT_TRUE(Send(RequestText("INVITE", kBranch), TransportProtocol::kTcp));
  ASSERT_TRUE(Send(RequestText("OPTIONS", "z9hG4bKanswered"), TransportProtocol::kTcp));
  Receive(ResponseText(200, "z9hG4bKanswered", "OPTIONS"), Peer(), TransportProtocol::kTcp);
  layer_.OnConnectionClosed(TransportProtocol::kUdp, Peer());  // another transport: no effect
  layer_.OnConnectionClosed(TransportProtocol::kTcp, *Endpoint::Parse("192.0.2.99", 5060));
  EXPECT_TRUE(client_failures_.empty());
  layer_.OnConnectionClosed(TransportProtocol::kTcp, Peer());
  EXPECT_EQ(client_failures_, std::vector<std::string>{"transport error"});
}

TEST_F(TransactionTest, RefusesRequestsWithoutBranchOrDuplicateKey) {
  EXPECT_FALSE(Send(RequestText("OPTIONS", "")));
  EXPECT_TRUE(Send(RequestText("OPTIONS", kBranch)));
  EXPECT_FALSE(Send(RequestText("OPTIONS", kBranch)));
}

TEST_F(TransactionTest, CancelCopiesTheInviteHop) {
  const SipMessage invite = SipMessage::parse(RequestText("INVITE", kBranch)).value();
  const SipMessage cancel = MakeCancel(invite);
  EXPECT_EQ(cancel.method_text(), "CANCEL");
  EXPECT_EQ(cancel.request_uri_text(), invite.request_uri_text());
  EXPECT_EQ(cancel.top_via()->branch(), kBranch);
  EXPECT_EQ(cancel.cseq()->number, 1u);
  EXPECT_EQ(cancel.cseq()->method, "CANCEL");
  EXPECT_EQ(cancel.to()->tag(), "");
  EXPECT_NE(NewBranch(), NewBranch());
  EXPECT_TRUE(NewBranch().starts_with("z9hG4bK"));
}

}  // namespace
}  // namespace trunkgate::sip::testing
