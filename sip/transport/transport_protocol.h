// The transports a SIP message can travel over, and what the layers above receive from them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sip/transport/endpoint.h"

namespace trunkgate::sip {

enum class TransportProtocol { kUdp, kTcp, kTls };

constexpr std::string_view TransportName(TransportProtocol protocol) {
  switch (protocol) {
    case TransportProtocol::kUdp:
      return "UDP";
    case TransportProtocol::kTcp:
      return "TCP";
    case TransportProtocol::kTls:
      return "TLS";
  }
  return "UDP";
}

using ConnectionId = std::uint64_t;  // 0: no connection (UDP)

// One complete SIP message as it came off the wire, not yet parsed.
struct ReceivedMessage {
  std::string bytes;
  TransportProtocol protocol = TransportProtocol::kUdp;
  Endpoint source;
  Endpoint local;
  ConnectionId connection = 0;
};

using MessageHandler = std::function<void(ReceivedMessage&&)>;

}  // namespace trunkgate::sip
