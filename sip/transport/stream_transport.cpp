#include "sip/transport/stream_transport.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <system_error>

#include "sip/transport/socket_ops.h"

namespace trunkgate::sip {
namespace {

constexpr int kMaxAcceptsPerWakeup = 64;
constexpr int kListenBacklog = 128;

}  // namespace

StreamTransport::StreamTransport(EventLoop& loop, StreamTransportConfig config,
                                 MessageHandler on_message, ClosedHandler on_closed)
    : loop_(loop),
      config_(std::move(config)),
      on_message_(std::move(on_message)),
      on_closed_(std::move(on_closed)) {
  if (!config_.listen) return;
  listener_ = OpenBoundSocket(SOCK_STREAM, *config_.listen);
  if (listen(listener_.get(), kListenBacklog) != 0) {
    throw std::system_error(errno, std::generic_category(), "listen");
  }
  local_ = LocalEndpointOf(listener_.get());
  loop_.Watch(listener_.get(), EPOLLIN, [this](std::uint32_t) { OnAcceptable(); });
  ScheduleIdleSweep();
}

StreamTransport::~StreamTransport() {
  if (listener_.valid()) loop_.Unwatch(listener_.get());
  loop_.CancelTimer(reap_timer_);
  loop_.CancelTimer(idle_timer_);
  for (auto& [id, entry] : connections_) loop_.CancelTimer(entry.keepalive_timer);
}

bool StreamTransport::SendOn(ConnectionId id, std::string_view bytes) {
  const auto it = connections_.find(id);
  return it != connections_.end() && it->second.connection->Send(bytes);
}

ConnectionId StreamTransport::SendTo(const Endpoint& remote, std::string_view bytes,
                                     std::string_view server_domain) {
  if (const ConnectionId id = FindReusable(remote, server_domain); id != 0) {
    ++stats_.reused;
    return SendOn(id, bytes) ? id : 0;
  }
  SocketFd fd;
  try {
    fd = StartConnect(remote);
  } catch (const std::system_error&) {
    return 0;  // e.g. no route: nothing was started, the caller fails over
  }
  ++stats_.opened;
  const ConnectionId id = Adopt(std::move(fd), remote, true, std::string(server_domain));
  return SendOn(id, bytes) ? id : 0;
}

const StreamConnection* StreamTransport::connection(ConnectionId id) const {
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.connection.get();
}

void StreamTransport::OnAcceptable() {
  for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    SocketFd fd(accept4(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length,
                        SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) return;
    if (connections_.size() >= config_.max_connections) {
      ++stats_.rejected_over_limit;
      continue;  // fd closes here
    }
    ++stats_.accepted;
    Adopt(std::move(fd), Endpoint::FromSockaddr(reinterpret_cast<sockaddr*>(&address), length),
          false, "");
  }
}

ConnectionId StreamTransport::Adopt(SocketFd fd, const Endpoint& remote, bool outbound,
                                    std::string domain) {
  const ConnectionId id = next_id_++;
  SSL* ssl = config_.tls ? NewSsl(fd.get(), outbound, domain) : nullptr;
  reusable_[ReuseKey(remote, domain)] = id;
  Entry& entry = connections_[id];
  entry.connection =
      std::make_unique<StreamConnection>(loop_, id, std::move(fd), remote, outbound, ssl,
                                         std::move(domain), config_.limits, EventsFor());
  if (outbound && config_.keepalive_interval.count() > 0) {
    ScheduleKeepalive(id, config_.keepalive_interval);
  }
  return id;
}

SSL* StreamTransport::NewSsl(int fd, bool outbound, const std::string& domain) const {
  SSL* ssl = SSL_new(config_.tls->get());
  SSL_set_fd(ssl, fd);
  if (outbound) {
    SSL_set_connect_state(ssl);
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    if (!domain.empty()) SSL_set_tlsext_host_name(ssl, domain.c_str());
  } else {
    SSL_set_accept_state(ssl);
    // Without mutual TLS a client certificate is still verified when one is offered; SIPconnect
    // lets a PBX without a certificate connect and be authenticated by digest instead.
    int mode = SSL_VERIFY_PEER;
    if (config_.tls->require_client_certificate()) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_set_verify(ssl, mode, nullptr);
  }
  return ssl;
}

StreamConnection::Events StreamTransport::EventsFor() {
  StreamConnection::Events events;
  events.on_message = [this](StreamConnection& connection, std::string&& message) {
    if (!on_message_) return;
    on_message_(
        {std::move(message), protocol(), connection.remote(), connection.local(), connection.id()});
  };
  events.on_pong = [this](StreamConnection& connection) { OnPong(connection.id()); };
  events.on_closed = [this](StreamConnection& connection, std::string_view reason) {
    OnClosed(connection, reason);
  };
  return events;
}

void StreamTransport::OnClosed(StreamConnection& connection, std::string_view reason) {
  const ConnectionId id = connection.id();
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  ++stats_.closed;
  loop_.CancelTimer(it->second.keepalive_timer);
  const auto key = reusable_.find(ReuseKey(connection.remote(), connection.expected_domain()));
  if (key != reusable_.end() && key->second == id) reusable_.erase(key);
  if (on_closed_) on_closed_(id, connection.remote(), reason);
  graveyard_.push_back(std::move(it->second.connection));
  connections_.erase(it);
  if (reap_timer_ == 0) {
    reap_timer_ = loop_.AddTimer(SteadyClock::duration::zero(), [this] {
      reap_timer_ = 0;
      graveyard_.clear();
    });
  }
}

void StreamTransport::ScheduleKeepalive(ConnectionId id, std::chrono::milliseconds delay) {
  connections_[id].keepalive_timer = loop_.AddTimer(delay, [this, id] { OnKeepaliveTimer(id); });
}

void StreamTransport::OnKeepaliveTimer(ConnectionId id) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Entry& entry = it->second;
  entry.keepalive_timer = 0;
  if (entry.awaiting_pong) {
    ++stats_.keepalive_failures;
    entry.connection->Close("keep-alive: no pong within the timeout");
    return;
  }
  if (entry.connection->state() != StreamConnection::State::kOpen) {
    ScheduleKeepalive(id, config_.keepalive_interval);
    return;
  }
  ++stats_.pings_sent;
  entry.awaiting_pong = true;
  entry.connection->SendPing();
  if (connections_.contains(id)) ScheduleKeepalive(id, config_.pong_timeout);
}

void StreamTransport::OnPong(ConnectionId id) {
  const auto it = connections_.find(id);
  if (it == connections_.end() || !it->second.awaiting_pong) return;
  ++stats_.pongs_received;
  it->second.awaiting_pong = false;
  loop_.CancelTimer(it->second.keepalive_timer);
  ScheduleKeepalive(id, config_.keepalive_interval);
}

// One sweep every half timeout bounds how long past the timeout an idle connection survives,
// with one timer for all connections instead of one per connection.
void StreamTransport::ScheduleIdleSweep() {
  if (config_.idle_timeout.count() <= 0) return;
  idle_timer_ = loop_.AddTimer(config_.idle_timeout / 2, [this] {
    idle_timer_ = 0;
    CloseIdleConnections();
    ScheduleIdleSweep();
  });
}

void StreamTransport::CloseIdleConnections() {
  const auto now = SteadyClock::now();
  std::vector<StreamConnection*> idle;
  for (auto& [id, entry] : connections_) {
    const StreamConnection& connection = *entry.connection;
    if (!connection.outbound() && now - connection.last_activity() >= config_.idle_timeout) {
      idle.push_back(entry.connection.get());
    }
  }
  // Closing erases from connections_ (the objects live on in the graveyard), hence two passes.
  for (StreamConnection* connection : idle) {
    ++stats_.idle_closed;
    connection->Close("idle timeout");
  }
}

ConnectionId StreamTransport::FindReusable(const Endpoint& remote, std::string_view domain) const {
  if (const auto it = reusable_.find(ReuseKey(remote, domain)); it != reusable_.end()) {
    return it->second;
  }
  // A connection the peer opened (or one opened without a domain) serves any domain its
  // certificate proves.
  const auto it = reusable_.find(ReuseKey(remote, ""));
  if (it == reusable_.end()) return 0;
  const StreamConnection& connection = *connections_.at(it->second).connection;
  if (domain.empty() || !connection.is_tls()) return it->second;
  for (const std::string& identity : connection.peer_identities()) {
    if (identity == domain) return it->second;
  }
  return 0;
}

std::string StreamTransport::ReuseKey(const Endpoint& remote, std::string_view domain) {
  return remote.ToString() + "|" + std::string(domain);
}

}  // namespace trunkgate::sip
