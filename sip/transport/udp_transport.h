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
  // Dropped by the kernel because the socket's receive buffer was full (read when drained).
  std::uint64_t dropped_overflow = 0;
  std::uint64_t send_failures = 0;
};

class UdpTransport {
 public:
  // The socket's receive buffer is kReceiveBuffer (above the kernel's net.core.rmem_max when the
  // process may, CAP_NET_ADMIN): a signalling burst, or a moment the loop spends elsewhere, must
  // not overflow the default 208 KiB, which holds only a few hundred small datagrams.
  static constexpr int kReceiveBuffer = 8 << 20;
  UdpTransport(EventLoop& loop, const Endpoint& local, MessageHandler handler);
  ~UdpTransport();
  UdpTransport(const UdpTransport&) = delete;
  UdpTransport& operator=(const UdpTransport&) = delete;

  const Endpoint& local() const { return local_; }
  // Sends one datagram now; false if the kernel refused it (counted, never retried here: the
  // transaction layer retransmits).
  bool Send(const Endpoint& destination, std::string_view bytes);
  const UdpStats& stats() const { return stats_; }
  int receive_buffer_bytes() const;  // what the kernel granted (it doubles the request)

 private:
  void OnReadable();

  EventLoop& loop_;
  SocketFd fd_;
  Endpoint local_;
  MessageHandler handler_;
  UdpStats stats_;
};

}  // namespace trunkgate::sip
