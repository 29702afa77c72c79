// The MessageSender that puts transaction output on the real transports: UDP datagrams, or the
// request's own TCP/TLS connection when it is still open, else a (reused or new) connection to
// the target.
#pragma once

#include "sip/transaction/transport_target.h"
#include "sip/transport/stream_transport.h"
#include "sip/transport/udp_transport.h"

namespace trunkgate::sip {

class TransportSender final : public MessageSender {
 public:
  // Any transport may be null when not configured; sending over it then fails.
  TransportSender(UdpTransport* udp, StreamTransport* tcp, StreamTransport* tls)
      : udp_(udp), tcp_(tcp), tls_(tls) {}

  bool Send(const TransportTarget& target, std::string_view bytes) override;

 private:
  UdpTransport* udp_;
  StreamTransport* tcp_;
  StreamTransport* tls_;
};

}  // namespace trunkgate::sip
