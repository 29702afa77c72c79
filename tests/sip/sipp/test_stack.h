// The library wired together as an application would: one event loop, a UDP or TCP transport on
// 127.0.0.1, the transport sender and the transaction layer.
#pragma once

#include <memory>
#include <string>

#include "sip/transaction/transaction_layer.h"
#include "sip/transaction/transport_sender.h"
#include "sip/transport/stream_transport.h"
#include "sip/transport/udp_transport.h"

namespace trunkgate::sip::testing {

class TestStack {
 public:
  TestStack(TransportProtocol protocol, TransactionUser user);

  const Endpoint& local() const { return udp_ ? udp_->local() : tcp_->local(); }
  TransportProtocol protocol() const { return protocol_; }
  std::string transport_name() const { return std::string(TransportName(protocol_)); }
  // "SIP/2.0/UDP 127.0.0.1:port;branch=<new>;rport"
  std::string NewVia() const;

  EventLoop loop;
  EventLoopScheduler scheduler{loop};

 private:
  TransportProtocol protocol_;
  std::unique_ptr<UdpTransport> udp_;
  std::unique_ptr<StreamTransport> tcp_;

 public:
  TransportSender sender;
  TransactionLayer layer;
};

}  // namespace trunkgate::sip::testing
