// One TCP or TLS connection carrying SIP: non-blocking connect and TLS handshake, peer identity
// check, Content-Length framing of the byte stream, RFC 5626 CRLF keep-alive, and bounded input
// and output buffers. Owned and driven by StreamTransport.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/transport/event_loop.h"
#include "sip/transport/socket_fd.h"
#include "sip/transport/transport_protocol.h"

namespace trunkgate::sip {

struct StreamLimits {
  ParseLimits parse;                         // max message and header sizes for framing
  std::size_t max_pending_output = 1 << 20;  // a peer that reads slower than this is dropped
};

class StreamConnection {
 public:
  enum class State { kConnecting, kHandshaking, kOpen, kClosed };

  struct Events {
    std::function<void(StreamConnection&, std::string&& message)> on_message;
    std::function<void(StreamConnection&)> on_pong;
    // Called once; the owner must not destroy the connection inside this call.
    std::function<void(StreamConnection&, std::string_view reason)> on_closed;
  };

  // `ssl` (owned, may be null for TCP) is already bound to `fd`. `expected_domain`, when set on a
  // TLS client connection, must be one of the server certificate's SIP identities.
  StreamConnection(EventLoop& loop, ConnectionId id, SocketFd fd, Endpoint remote, bool outbound,
                   SSL* ssl, std::string expected_domain, const StreamLimits& limits,
                   Events events);
  ~StreamConnection();
  StreamConnection(const StreamConnection&) = delete;
  StreamConnection& operator=(const StreamConnection&) = delete;

  // Queues bytes (sent once the connection is open). False if closed, or if the queue would
  // exceed the output bound, in which case the connection is closed.
  bool Send(std::string_view bytes);
  // RFC 5626 4.4.1: a client's ping is a double CRLF; the server answers with one CRLF.
  bool SendPing() { return Send("\r\n\r\n"); }
  void Close(std::string_view reason);

  ConnectionId id() const { return id_; }
  const Endpoint& remote() const { return remote_; }
  const Endpoint& local() const { return local_; }
  bool outbound() const { return outbound_; }
  State state() const { return state_; }
  bool is_tls() const { return ssl_ != nullptr; }
  const std::string& expected_domain() const { return expected_domain_; }
  // The SIP identities of the peer's verified certificate (TLS only, after the handshake).
  const std::vector<std::string>& peer_identities() const { return peer_identities_; }
  std::string_view cipher() const;
  // When the peer last sent us anything (messages or keep-alives).
  SteadyClock::time_point last_activity() const { return last_activity_; }

 private:
  enum class Io { kProgress, kWouldBlock, kClosed };

  void OnEvents(std::uint32_t events);
  void FinishConnect();
  void ContinueHandshake();
  void ReadAvailable();
  void ProcessInput();
  std::size_t SkipKeepalives(std::size_t offset);
  void Flush();
  Io ReadSome(std::string& into);
  Io WriteSome(std::string_view bytes, std::size_t& written);
  Io SslResult(int result, std::string_view operation);
  void UpdateInterest();

  EventLoop& loop_;
  ConnectionId id_;
  SocketFd fd_;
  Endpoint remote_;
  Endpoint local_;
  bool outbound_;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_;
  std::string expected_domain_;
  StreamLimits limits_;
  Events events_;
  State state_;
  std::string input_;
  std::string output_;
  bool ssl_wants_write_ = false;
  std::uint32_t watched_events_ = 0;
  std::vector<std::string> peer_identities_;
  SteadyClock::time_point last_activity_ = SteadyClock::now();
};

}  // namespace trunkgate::sip
