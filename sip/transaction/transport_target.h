// Where a transaction sends its messages, and the seam to the transport layer.
#pragma once

#include <string>
#include <string_view>

#include "sip/transport/transport_protocol.h"

namespace trunkgate::sip {

struct TransportTarget {
  TransportProtocol protocol = TransportProtocol::kUdp;
  Endpoint endpoint;
  ConnectionId connection = 0;  // for responses: the request's connection, if still open
  std::string server_domain;    // TLS: the identity the server certificate must prove

  bool reliable() const { return protocol != TransportProtocol::kUdp; }
};

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  // False on an immediate transport error (the transaction then reports it to its user).
  virtual bool Send(const TransportTarget& target, std::string_view bytes) = 0;
};

}  // namespace trunkgate::sip
