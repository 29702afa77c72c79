#include <gtest/gtest.h>

#include "sip/transaction/response_routing.h"
#include "tests/sip/transaction/transaction_fixture.h"

namespace trunkgate::sip::testing {
namespace {

constexpr const char* kBranch = "z9hG4bKserver1";

class ServerTransactionTest : public TransactionTest {
 protected:
  SipMessage Response(int code, std::string_view reason = "Reason") {
    return MakeResponse(*layer_.ServerRequest(requests_.back()), code, reason, "srv");
  }
};

TEST_F(ServerTransactionTest, InviteRetransmissionsGetTheLastProvisional) {
  Receive(RequestText("INVITE", kBranch));
  Receive(RequestText("INVITE", kBranch));
  ASSERT_EQ(requests_.size(), 1u);
  EXPECT_TRUE(sender_.sent.empty());  // nothing to repeat yet
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(180)));
  Receive(RequestText("INVITE", kBranch));
  EXPECT_EQ(sender_.Count("SIP/2.0 180"), 2u);
  EXPECT_EQ(layer_.stats().retransmissions, 2u);
}

TEST_F(ServerTransactionTest, InviteFailureRetransmitsWithTimerGUntilTheAck) {
  Receive(RequestText("INVITE", kBranch));
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(486)));
  scheduler_.Advance(milliseconds(500));
  scheduler_.Advance(milliseconds(1000));
  EXPECT_EQ(sender_.Count("SIP/2.0 486"), 3u);
  Receive(RequestText("INVITE", kBranch));  // retransmitted INVITE: repeat the 486
  EXPECT_EQ(sender_.Count("SIP/2.0 486"), 4u);
  Receive(RequestText("ACK", kBranch));
  scheduler_.Advance(milliseconds(4000));
  EXPECT_EQ(sender_.Count("SIP/2.0 486"), 4u);  // ACK stopped timer G
  EXPECT_EQ(acks_, 0);                          // and it did not reach the TU
  EXPECT_EQ(layer_.server_count(), 1u);         // timer I absorbs ACK copies for T4
  scheduler_.Advance(milliseconds(1000));
  EXPECT_EQ(layer_.server_count(), 0u);
  EXPECT_TRUE(server_failures_.empty());
}

TEST_F(ServerTransactionTest, InviteFailureWithoutAckEndsAtTimerH) {
  Receive(RequestText("INVITE", kBranch));
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(603)));
  scheduler_.Advance(milliseconds(32000));
  // G at 0.5, 1.5, 3.5, 7.5, then every T2: 11.5 ... 31.5
  EXPECT_EQ(sender_.Count("SIP/2.0 603"), 1u + 4u + 6u);
  ASSERT_EQ(server_failures_.size(), 1u);
  EXPECT_NE(server_failures_[0].find("timer H"), std::string::npos);
}

TEST_F(ServerTransactionTest, Invite2xxIsAcceptedAndItsAckGoesToTheTu) {
  Receive(RequestText("INVITE", kBranch));
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(200, "OK")));
  EXPECT_FALSE(layer_.Respond(requests_[0], Response(486)));  // one final response only
  Receive(RequestText("INVITE", kBranch));                    // absorbed in Accepted
  EXPECT_EQ(sender_.Count("SIP/2.0 200"), 1u);
  Receive(RequestText("ACK", "z9hG4bKnewbranch"));  // the 2xx ACK is a transaction of its own
  EXPECT_EQ(acks_, 1);
  scheduler_.Advance(milliseconds(32000));
  EXPECT_EQ(layer_.server_count(), 0u);
}

TEST_F(ServerTransactionTest, NonInviteRepeatsItsFinalResponseUntilTimerJ) {
  Receive(RequestText("OPTIONS", kBranch));
  Receive(RequestText("OPTIONS", kBranch));  // Trying absorbs silently
  EXPECT_TRUE(sender_.sent.empty());
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(200, "OK")));
  Receive(RequestText("OPTIONS", kBranch));
  EXPECT_EQ(sender_.Count("SIP/2.0 200"), 2u);
  scheduler_.Advance(milliseconds(32000));
  EXPECT_EQ(layer_.server_count(), 0u);
  Receive(RequestText("OPTIONS", kBranch));  // after J it is a new request
  EXPECT_EQ(requests_.size(), 2u);
}

TEST_F(ServerTransactionTest, CancelMatchesThePendingInvite) {
  Receive(RequestText("INVITE", kBranch));
  Receive(RequestText("CANCEL", kBranch));
  ASSERT_EQ(cancelled_, std::vector<ServerTransactionId>{requests_[0]});
  const SipMessage cancel_ok = sender_.Last();
  EXPECT_EQ(cancel_ok.status_code(), 200);
  EXPECT_EQ(cancel_ok.cseq()->method, "CANCEL");
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(487, "Request Terminated")));
  EXPECT_EQ(requests_.size(), 1u);  // the CANCEL is not a new request for the TU

  Receive(RequestText("CANCEL", "z9hG4bKunknown"));
  EXPECT_EQ(sender_.Last().status_code(), 481);
  EXPECT_EQ(cancelled_.size(), 1u);
}

TEST_F(ServerTransactionTest, CancelAfterTheFinalResponseGets481) {
  Receive(RequestText("INVITE", kBranch));
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(200, "OK")));
  Receive(RequestText("CANCEL", kBranch));
  EXPECT_EQ(sender_.Last().status_code(), 481);
  EXPECT_TRUE(cancelled_.empty());
}

TEST_F(ServerTransactionTest, Rfc2543RequestsMatchWithoutBranch) {
  Receive(RequestText("INVITE", ""));
  Receive(RequestText("INVITE", ""));
  ASSERT_EQ(requests_.size(), 1u);
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(486)));
  Receive(RequestText("ACK", ""));  // matches the INVITE transaction: stops timer G
  scheduler_.Advance(milliseconds(4000));
  EXPECT_EQ(sender_.Count("SIP/2.0 486"), 1u);
  EXPECT_EQ(acks_, 0);
  Receive(RequestText("INVITE", "", "", 2));  // another CSeq: another transaction
  EXPECT_EQ(requests_.size(), 2u);
}

TEST_F(ServerTransactionTest, ResponsesFollowRportAndReceived) {
  const Endpoint nat = *Endpoint::Parse("203.0.113.9", 40000);
  Receive(RequestText("OPTIONS", kBranch, ";rport"), nat);
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(200, "OK")));
  EXPECT_EQ(sender_.targets.back().endpoint, nat);
  const Via via = sender_.Last().top_via().value();
  EXPECT_EQ(via.rport(), "40000");
  EXPECT_EQ(via.received(), "203.0.113.9");
  EXPECT_EQ(via.branch(), kBranch);

  Receive(RequestText("OPTIONS", "z9hG4bKnorport"), nat);
  ASSERT_TRUE(layer_.Respond(requests_[1], Response(200, "OK")));
  // Without rport: the source address, but the port from sent-by.
  EXPECT_EQ(sender_.targets.back().endpoint, *Endpoint::Parse("203.0.113.9", 5070));
  EXPECT_EQ(sender_.Last().top_via()->received(), "203.0.113.9");
}

TEST_F(ServerTransactionTest, ReceivedIsOmittedWhenSentByIsTheSource) {
  Receive(RequestText("OPTIONS", kBranch));
  ASSERT_TRUE(layer_.Respond(requests_[0], Response(200, "OK")));
  EXPECT_FALSE(sender_.Last().top_via()->received());
  EXPECT_EQ(sender_.targets.back().endpoint, Peer());
}

TEST_F(ServerTransactionTest, DropsNewRequestsOverTheTransactionBound) {
  TransactionLayer small(scheduler_, sender_, TransactionTimers{}, User(), 2);
  for (const char* branch : {"z9hG4bKa", "z9hG4bKb", "z9hG4bKc"}) {
    small.OnReceived(ReceivedMessage{RequestText("OPTIONS", branch), TransportProtocol::kUdp,
                                     Peer(), Endpoint(), 0});
  }
  EXPECT_EQ(requests_.size(), 2u);
  EXPECT_EQ(small.server_count(), 2u);
  EXPECT_EQ(small.stats().dropped_overload, 1u);
}

TEST_F(ServerTransactionTest, DropsWhatItCannotMatch) {
  Receive("garbage\r\n\r\n");
  Receive("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(layer_.stats().malformed, 2u);
  EXPECT_TRUE(requests_.empty());
  EXPECT_TRUE(sender_.sent.empty());
  // The TU hears of each drop, with the reason, for its log.
  ASSERT_EQ(malformed_.size(), 2u);
  EXPECT_NE(malformed_[0].find("start line"), std::string::npos) << malformed_[0];
  EXPECT_NE(malformed_[1].find("missing mandatory header"), std::string::npos) << malformed_[1];
}

}  // namespace
}  // namespace trunkgate::sip::testing
