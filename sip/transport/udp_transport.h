// SIP over UDP: one bound socket; each datagram is one message (RFC 3261 18.3).
#pragma once

#include <cstdint>
#include <string_view>

#include "sip/transport/event_loop.h"
#include "sip/transport/socket_fd.h"
#include "sip/transport/transport_protocol.h"

namespace trunkgate::sip {

struct UdpStats {
  std::uint64_t received = 0;
  std::uint64_t sent = 0;
  std::uint64_t dropped_truncated = 0;  // larger than the receive buffer
  std::uint64_t dropped_keepalive = 0;  // bare CRLF datagrams
  std::uint64_t send_failures = 0;
};

class UdpTransport {
 public:
  UdpTransport(EventLoop& loop, const Endpoint& local, MessageHandler handler);
  ~UdpTransport();
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  const Endpoint& local() const { return local_; }
  // Sends one datagram now; false if the kernel refused it (counted, never retried here: the
  // transaction layer retransmits).
  bool Send(const Endpoint& destination, std::string_view bytes);
  const UdpStats& stats() const { return stats_; }

 private:
  void OnReadable();

  EventLoop& loop_;
  SocketFd fd_;
  Endpoint local_;
  MessageHandler handler_;
  UdpStats stats_;
};

}  // namespace trunkgate::sip
