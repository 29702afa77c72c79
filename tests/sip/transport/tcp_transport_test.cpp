#include <gtest/gtest.h>
#include <sys/socket.h>

#include "sip/transport/socket_ops.h"
#include "sip/transport/stream_transport.h"
#include "tests/sip/transport/loop_helpers.h"

namespace trunkgate::sip {
namespace {

using std::chrono::milliseconds;
using testing::Inbox;
using testing::Loopback;
using testing::Request;

class TcpTransportTest : public ::testing::Test {
 protected:
  StreamTransportConfig ServerConfig() {
    StreamTransportConfig config;
    config.listen = Loopback();
    return config;
  }

  // A raw client socket, to write exactly the bytes a test needs.
  SocketFd RawConnect(const Endpoint& to) {
    SocketFd fd = StartConnect(to);
    EXPECT_TRUE(testing::RunUntil(loop_, [&] { return server_->stats().accepted == 1; }));
    return fd;
  }

  void Write(const SocketFd& fd, std::string_view bytes) {
    ASSERT_EQ(send(fd.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  EventLoop loop_;
  Inbox server_inbox_, client_inbox_;
  std::unique_ptr<StreamTransport> server_ = std::make_unique<StreamTransport>(
      loop_, ServerConfig(), server_inbox_.handler(), server_inbox_.closed_handler());
  StreamTransport client_{loop_, StreamTransportConfig{}, client_inbox_.handler(),
                          client_inbox_.closed_handler()};
};

TEST_F(TcpTransportTest, RequestAndResponseShareOneReusedConnection) {
  const ConnectionId first = client_.SendTo(server_->local(), Request("INVITE", "v=0\r\n"));
  const ConnectionId second = client_.SendTo(server_->local(), Request("ACK"));
  ASSERT_NE(first, 0u);
  EXPECT_EQ(first, second);
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return server_inbox_.messages.size() == 2; }));
  EXPECT_EQ(server_inbox_.messages[0].bytes, Request("INVITE", "v=0\r\n"));
  EXPECT_EQ(server_inbox_.messages[1].bytes, Request("ACK"));
  EXPECT_EQ(client_.stats().opened, 1u);
  EXPECT_EQ(client_.stats().reused, 1u);

  const ReceivedMessage& request = server_inbox_.messages[0];
  EXPECT_EQ(request.protocol, TransportProtocol::kTcp);
  EXPECT_EQ(request.source, client_.connection(first)->local());
  ASSERT_TRUE(server_->SendOn(request.connection, "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return client_inbox_.messages.size() == 1; }));
  EXPECT_EQ(client_inbox_.messages[0].connection, first);
}

TEST_F(TcpTransportTest, FramesMessagesSplitAnywhereOrSharingASegment) {
  const SocketFd fd = RawConnect(server_->local());
  const std::string a = Request("INVITE", "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n");
  const std::string b = Request("BYE");
  const std::string stream = "\r\n" + a + b;  // a stray CRLF first, then two messages
  for (std::size_t cut : {std::size_t{1}, a.size() / 2, a.size() + 1}) {
    server_inbox_.messages.clear();
    Write(fd, std::string_view(stream).substr(0, cut));
    Write(fd, std::string_view(stream).substr(cut));
    ASSERT_TRUE(testing::RunUntil(loop_, [&] { return server_inbox_.messages.size() == 2; }));
    EXPECT_EQ(server_inbox_.messages[0].bytes, a);
    EXPECT_EQ(server_inbox_.messages[1].bytes, b);
  }
}

TEST_F(TcpTransportTest, AnswersAPingWithAPong) {
  const SocketFd fd = RawConnect(server_->local());
  Write(fd, "\r\n\r\n");
  char pong[8] = {};
  ssize_t got = -1;
  ASSERT_TRUE(testing::RunUntil(loop_, [&] {
    got = recv(fd.get(), pong, sizeof pong, MSG_DONTWAIT);
    return got >= 0;
  }));
  EXPECT_EQ(std::string(pong, static_cast<std::size_t>(got)), "\r\n");
}

TEST_F(TcpTransportTest, ClosesOnAMessageWithoutContentLength) {
  const SocketFd fd = RawConnect(server_->local());
  Write(fd, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n");
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return server_inbox_.closed_reasons.size() == 1; }));
  EXPECT_NE(server_inbox_.closed_reasons[0].find("framing"), std::string::npos);
  EXPECT_TRUE(server_inbox_.messages.empty());
  EXPECT_TRUE(testing::RunUntil(loop_, [&] { return server_->connection_count() == 0; }));
}

TEST_F(TcpTransportTest, ClosesWhenAHeaderSectionNeverEnds) {
  const SocketFd fd = RawConnect(server_->local());
  const std::string line = "X-Junk: " + std::string(1000, 'a') + "\r\n";
  Write(fd, "OPTIONS sip:a@b SIP/2.0\r\n");
  // Twice the message limit of garbage without the blank line that ends the headers.
  for (std::size_t sent = 0;
       sent < 2 * kDefaultLimits.max_message_size && server_inbox_.closed_reasons.empty();
       sent += line.size()) {
    if (send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL) < 0) break;
    loop_.RunOnce(milliseconds(0));
  }
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return server_inbox_.closed_reasons.size() == 1; }));
  EXPECT_TRUE(server_inbox_.messages.empty());
}

TEST_F(TcpTransportTest, ClosesAcceptedConnectionsLeftIdle) {
  Inbox inbox;
  StreamTransportConfig config = ServerConfig();
  config.idle_timeout = milliseconds(20);
  StreamTransport server(loop_, config, nullptr, inbox.closed_handler());
  const SocketFd silent = StartConnect(server.local());
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return inbox.closed_reasons.size() == 1; }));
  EXPECT_EQ(inbox.closed_reasons[0], "idle timeout");
  EXPECT_EQ(server.stats().idle_closed, 1u);
  EXPECT_TRUE(testing::RunUntil(loop_, [&] { return server.connection_count() == 0; }));
}

TEST_F(TcpTransportTest, DropsAPeerThatDoesNotReadOnceTheOutputBoundIsReached) {
  Inbox inbox;
  StreamTransportConfig config = ServerConfig();
  config.limits.max_pending_output = 256 * 1024;
  StreamTransport server(loop_, config, inbox.handler(), inbox.closed_handler());
  const SocketFd reader_that_never_reads = StartConnect(server.local());
  const std::string request = Request("OPTIONS");
  ASSERT_EQ(send(reader_that_never_reads.get(), request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return inbox.messages.size() == 1; }));
  const ConnectionId id = inbox.messages[0].connection;
  const std::string chunk(64 * 1024, 'x');
  // The kernel's socket buffers absorb a few MB first; 64 MB is far beyond them.
  int sends = 0;
  while (sends < 1024 && server.SendOn(id, chunk)) ++sends;
  EXPECT_LT(sends, 1024);
  ASSERT_EQ(inbox.closed_reasons.size(), 1u);
  EXPECT_NE(inbox.closed_reasons[0].find("output queue"), std::string::npos);
}

TEST_F(TcpTransportTest, ReportsARefusedConnection) {
  const Endpoint closed_port = server_->local();
  server_.reset();  // nothing listens there any more
  client_.SendTo(closed_port, Request("OPTIONS"));
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return client_inbox_.closed_reasons.size() == 1; }));
  EXPECT_NE(client_inbox_.closed_reasons[0].find("connect failed"), std::string::npos);
}

TEST_F(TcpTransportTest, RefusesConnectionsOverTheLimit) {
  StreamTransportConfig config = ServerConfig();
  config.max_connections = 1;
  StreamTransport limited(loop_, config, nullptr);
  const SocketFd first = StartConnect(limited.local());
  const SocketFd second = StartConnect(limited.local());
  ASSERT_TRUE(testing::RunUntil(loop_, [&] { return limited.stats().rejected_over_limit == 1; }));
  EXPECT_EQ(limited.connection_count(), 1u);
}

StreamTransportConfig KeepaliveClient(milliseconds pong_timeout) {
  StreamTransportConfig config;
  config.keepalive_interval = milliseconds(5);
  config.pong_timeout = pong_timeout;
  return config;
}

TEST(TcpKeepalive, PingsAreAnsweredWithPongs) {
  EventLoop loop;
  Inbox inbox;
  StreamTransportConfig server_config;
  server_config.listen = Loopback();
  StreamTransport server(loop, server_config, nullptr);
  // A generous pong timeout: this test is about pongs arriving, not about how fast.
  StreamTransport client(loop, KeepaliveClient(milliseconds(5000)), nullptr,
                         inbox.closed_handler());
  ASSERT_NE(client.SendTo(server.local(), Request("OPTIONS")), 0u);
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return client.stats().pongs_received >= 3; }));
  EXPECT_EQ(client.stats().keepalive_failures, 0u);
  EXPECT_TRUE(inbox.closed_reasons.empty());
}

TEST(TcpKeepalive, ASilentPeerIsDropped) {
  EventLoop loop;
  Inbox inbox;
  StreamTransport client(loop, KeepaliveClient(milliseconds(20)), nullptr, inbox.closed_handler());
  // A listener that never accepts: the kernel completes the handshake, nobody answers pings.
  const SocketFd mute = OpenBoundSocket(SOCK_STREAM, Loopback());
  ASSERT_EQ(listen(mute.get(), 4), 0);
  ASSERT_NE(client.SendTo(LocalEndpointOf(mute.get()), Request("OPTIONS")), 0u);
  ASSERT_TRUE(testing::RunUntil(loop, [&] { return client.stats().keepalive_failures == 1; }));
  ASSERT_EQ(inbox.closed_reasons.size(), 1u);
  EXPECT_NE(inbox.closed_reasons[0].find("keep-alive"), std::string::npos);
}

}  // namespace
}  // namespace trunkgate::sip
