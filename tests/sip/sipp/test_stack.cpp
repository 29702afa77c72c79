#include "tests/sip/sipp/test_stack.h"

namespace trunkgate::sip::testing {
namespace {

StreamTransportConfig ListenOnLoopback() {
  StreamTransportConfig config;
  config.listen = Endpoint::Parse("127.0.0.1", 0);
  return config;
}

}  // namespace

TestStack::TestStack(TransportProtocol protocol, TransactionUser user)
    : protocol_(protocol),
      udp_(protocol == TransportProtocol::kUdp
               ? std::make_unique<UdpTransport>(
                     loop, *Endpoint::Parse("127.0.0.1", 0),
                     [this](ReceivedMessage&& m) { layer.OnReceived(std::move(m)); })
               : nullptr),
      tcp_(protocol == TransportProtocol::kTcp
               ? std::make_unique<StreamTransport>(
                     loop, ListenOnLoopback(),
                     [this](ReceivedMessage&& m) { layer.OnReceived(std::move(m)); },
                     [this](ConnectionId, const Endpoint& remote, std::string_view) {
                       layer.OnConnectionClosed(TransportProtocol::kTcp, remote);
                     })
               : nullptr),
      sender(udp_.get(), tcp_.get(), nullptr),
      layer(scheduler, sender, TransactionTimers{}, std::move(user)) {}

std::string TestStack::NewVia() const {
  return "SIP/2.0/" + transport_name() + " " + local().ToString() + ";branch=" + NewBranch() +
         ";rport";
}

}  // namespace trunkgate::sip::testing
