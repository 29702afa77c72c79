#include "sip/dialog/invite_2xx_retransmitter.h"

#include <gtest/gtest.h>

#include "tests/sip/transaction/manual_scheduler.h"

namespace trunkgate::sip {
namespace {

using std::chrono::milliseconds;

class Invite2xxRetransmitterTest : public ::testing::Test {
 protected:
  testing::ManualScheduler scheduler_;
  testing::RecordingSender sender_;
  int no_ack_ = 0;
  Invite2xxRetransmitter retransmitter_{scheduler_, TransactionTimers{}, sender_,
                                        [this] { ++no_ack_; }};
};

TEST_F(Invite2xxRetransmitterTest, RetransmitsOverUdpUntilTheAck) {
  retransmitter_.Start(TransportTarget{}, "SIP/2.0 200 OK\r\n\r\n");
  scheduler_.Advance(milliseconds(500 + 1000 + 2000 + 4000 + 4000));
  EXPECT_EQ(sender_.sent.size(), 5u);  // T1 doubling, capped at T2
  retransmitter_.OnAck();
  scheduler_.Advance(milliseconds(60000));
  EXPECT_EQ(sender_.sent.size(), 5u);
  EXPECT_EQ(no_ack_, 0);
  EXPECT_FALSE(retransmitter_.waiting());
}

TEST_F(Invite2xxRetransmitterTest, OverTcpOnlyWaitsAndGivesUpAt64T1) {
  retransmitter_.Start(TransportTarget{TransportProtocol::kTcp, Endpoint(), 1, ""}, "x");
  scheduler_.Advance(milliseconds(31999));
  EXPECT_TRUE(sender_.sent.empty());
  EXPECT_EQ(no_ack_, 0);
  scheduler_.Advance(milliseconds(1));
  EXPECT_EQ(no_ack_, 1);
}

}  // namespace
}  // namespace trunkgate::sip
