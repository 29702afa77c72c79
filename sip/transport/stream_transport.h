// SIP over TCP or TLS: a listener, the connections it accepted and the ones it opened, reuse of
// an open connection for every message to the same peer (RFC 3261 18.1.1, SIPconnect Annex B),
// RFC 5626 CRLF keep-alive on the connections it opened, and a bound on connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip/transport/event_loop.h"
#include "sip/transport/socket_fd.h"
#include "sip/transport/stream_connection.h"
#include "sip/transport/tls_context.h"
#include "sip/transport/transport_protocol.h"

namespace trunkgate::sip {

struct StreamTransportConfig {
  std::optional<Endpoint> listen;         // none: outbound connections only
  std::shared_ptr<const TlsContext> tls;  // null: plain TCP
  StreamLimits limits;
  std::size_t max_connections = 4096;               // accepted beyond this are closed at once
  std::chrono::milliseconds keepalive_interval{0};  // 0: no pings
  std::chrono::milliseconds pong_timeout{10'000};   // RFC 5626 4.4.1 suggests 10 s
  // Connections the peer opened and then left silent this long are closed (0: never), so idle
  // or abandoned connections cannot pile up to max_connections.
  std::chrono::milliseconds idle_timeout{600'000};
};

struct StreamStats {
  std::uint64_t accepted = 0;
  std::uint64_t rejected_over_limit = 0;
  std::uint64_t opened = 0;
  std::uint64_t reused = 0;
  std::uint64_t closed = 0;
  std::uint64_t pings_sent = 0;
  std::uint64_t pongs_received = 0;
  std::uint64_t keepalive_failures = 0;
  std::uint64_t idle_closed = 0;
};

class StreamTransport {
 public:
  // Told when a connection ends for any reason (peer close, error, keep-alive failure, framing
  // violation), so that the layers above can fail over the transactions that used it.
  using ClosedHandler =
      std::function<void(ConnectionId id, const Endpoint& remote, std::string_view reason)>;

  StreamTransport(EventLoop& loop, StreamTransportConfig config, MessageHandler on_message,
                  ClosedHandler on_closed = nullptr);
  ~StreamTransport();
  StreamTransport(const StreamTransport&) = delete;
  StreamTransport& operator=(const StreamTransport&) = delete;

  TransportProtocol protocol() const {
    return config_.tls ? TransportProtocol::kTls : TransportProtocol::kTcp;
  }
  // The listening address (with the kernel-chosen port when bound to port 0).
  const Endpoint& local() const { return local_; }

  // Sends on an open connection (a response goes back on its request's connection); false if it
  // is gone.
  bool SendOn(ConnectionId id, std::string_view bytes);
  // Sends to `remote`, reusing a connection to it (for TLS, one verified for `server_domain`)
  // or opening one. Returns the connection used, 0 if none could be started.
  ConnectionId SendTo(const Endpoint& remote, std::string_view bytes,
                      std::string_view server_domain = {});

  const StreamConnection* connection(ConnectionId id) const;
  std::size_t connection_count() const { return connections_.size(); }
  const StreamStats& stats() const { return stats_; }

 private:
  struct Entry {
    std::unique_ptr<StreamConnection> connection;
    TimerId keepalive_timer = 0;
    bool awaiting_pong = false;
  };

  void OnAcceptable();
  ConnectionId Adopt(SocketFd fd, const Endpoint& remote, bool outbound, std::string domain);
  SSL* NewSsl(int fd, bool outbound, const std::string& domain) const;
  StreamConnection::Events EventsFor();
  void OnClosed(StreamConnection& connection, std::string_view reason);
  void ScheduleKeepalive(ConnectionId id, std::chrono::milliseconds delay);
  void OnKeepaliveTimer(ConnectionId id);
  void OnPong(ConnectionId id);
  void ScheduleIdleSweep();
  void CloseIdleConnections();
  ConnectionId FindReusable(const Endpoint& remote, std::string_view domain) const;
  static std::string ReuseKey(const Endpoint& remote, std::string_view domain);

  EventLoop& loop_;
  StreamTransportConfig config_;
  MessageHandler on_message_;
  ClosedHandler on_closed_;
  SocketFd listener_;
  Endpoint local_;
  std::map<ConnectionId, Entry> connections_;
  // remote address + verified domain -> connection, for reuse.
  std::unordered_map<std::string, ConnectionId> reusable_;
  // Closed connections wait here until the loop is out of their callbacks.
  std::vector<std::unique_ptr<StreamConnection>> graveyard_;
  TimerId reap_timer_ = 0;
  TimerId idle_timer_ = 0;
  ConnectionId next_id_ = 1;
  StreamStats stats_;
};

}  // namespace trunkgate::sip
