#include "sip/transport/udp_transport.h"

#include <gtest/gtest.h>

#include "tests/sip/transport/loop_helpers.h"

namespace trunkgate::sip {
namespace {

using testing::Inbox;
using testing::Loopback;

TEST(UdpTransport, DeliversEachDatagramWithItsSource) {
  EventLoop loop;
  Inbox a_inbox, b_inbox;
  UdpTransport a(loop, Loopback(), a_inbox.handler());
  UdpTransport b(loop, Loopback(), b_inbox.handler());
  ASSERT_NE(a.local().port(), 0);
  ASSERT_TRUE(a.Send(b.local(), testing::Request("OPTIONS")));
  ASSERT_TRUE(a.Send(b.local(), testing::Request("INFO")));
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return b_inbox.messages.size() == 2; }));
  EXPECT_EQ(b_inbox.messages[0].bytes, testing::Request("OPTIONS"));
  EXPECT_EQ(b_inbox.messages[1].bytes, testing::Request("INFO"));
  EXPECT_EQ(b_inbox.messages[0].source, a.local());
  EXPECT_EQ(b_inbox.messages[0].protocol, TransportProtocol::kUdp);
  EXPECT_EQ(b.stats().received, 2u);
}

TEST(UdpTransport, DropsBareKeepaliveDatagrams) {
  EventLoop loop;
  Inbox inbox;
  UdpTransport a(loop, Loopback(), nullptr);
  UdpTransport b(loop, Loopback(), inbox.handler());
  ASSERT_TRUE(a.Send(b.local(), "\r\n\r\n"));
  ASSERT_TRUE(a.Send(b.local(), testing::Request("OPTIONS")));
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return inbox.messages.size() == 1; }));
  EXPECT_EQ(b.stats().dropped_keepalive, 1u);
}

// Loopback delivers in the sender's sendto(): once it returns, a datagram is queued or dropped,
// so every datagram is accounted exactly once however the burst outran the reader.
TEST(UdpTransport, CountsWhatTheKernelDroppedOnAFullReceiveBuffer) {
  EventLoop loop;
  Inbox inbox;
  UdpTransport a(loop, Loopback(), nullptr);
  UdpTransport b(loop, Loopback(), inbox.handler());
  EXPECT_GE(b.receive_buffer_bytes(), 2 * 212992) << "above the kernel's default";
  const std::string request = testing::Request("OPTIONS");
  // Enough small datagrams to fill the largest buffer the kernel can grant before b reads any.
  const std::size_t burst = static_cast<std::size_t>(b.receive_buffer_bytes()) / 256 + 1000;
  std::size_t sent = 0;
  for (std::size_t i = 0; i < burst; ++i) sent += a.Send(b.local(), request);
  ASSERT_EQ(sent, burst);
  ASSERT_TRUE(testing::RunUntil(loop, [&] {
    return b.stats().received + b.stats().dropped_overflow == burst;
  })) << "received " << b.stats().received << ", overflow " << b.stats().dropped_overflow;
  EXPECT_GT(b.stats().dropped_overflow, 0u);
  EXPECT_EQ(inbox.messages.size(), b.stats().received);
}

TEST(UdpTransport, WorksOverIpv6Loopback) {
  EventLoop loop;
  Inbox inbox;
  const Endpoint any6 = *Endpoint::Parse("::1", 0);
  UdpTransport a(loop, any6, nullptr);
  UdpTransport b(loop, any6, inbox.handler());
  ASSERT_TRUE(a.Send(b.local(), testing::Request("OPTIONS")));
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return inbox.messages.size() == 1; }));
  EXPECT_EQ(inbox.messages[0].source.ToString(), "[::1]:" + std::to_string(a.local().port()));
}

TEST(Endpoint, ParsesAndPrintsBothFamilies) {
  EXPECT_EQ(Endpoint::Parse("192.0.2.1", 5060)->ToString(), "192.0.2.1:5060");
  EXPECT_EQ(Endpoint::Parse("[2001:db8::1]", 5061)->ToString(), "[2001:db8::1]:5061");
  EXPECT_FALSE(Endpoint::Parse("sip.example.com", 5060));
  EXPECT_FALSE(Endpoint::Parse("", 5060));
}

}  // namespace
}  // namespace trunkgate::sip
