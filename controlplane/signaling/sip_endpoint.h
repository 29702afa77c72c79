// trunkgate-cp's SIP endpoint: a listener per configured address (UDP, TCP, TLS), one transaction
// layer over all of them, and RFC 3263 resolution of trunk peers. Every message leaves on the
// listener that faces its destination (the address the kernel routes from), and that listener's
// address is what goes into Via and Contact: the PBX side never sees the carrier-side address
// and the other way round.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "controlplane/config/cp_config.h"
#include "controlplane/signaling/sip_services.h"
#include "controlplane/signaling/source_address.h"
#include "sip/dns/dns_resolver.h"
#include "sip/dns/server_locator.h"
#include "sip/transaction/transaction_layer.h"
#include "sip/transport/event_loop.h"
#include "sip/transport/stream_transport.h"
#include "sip/transport/udp_transport.h"

namespace trunkgate::cp {

class SipEndpoint final : public SipServices, private sip::MessageSender {
 public:
  // Opens every listener. Throws std::runtime_error naming the listener that failed (address in
  // use, not an address of this host, unreadable certificate).
  SipEndpoint(sip::EventLoop& loop, const std::vector<ListenAddress>& listen,
              sip::TransactionUser user, sip::TransactionTimers timers = {});
  ~SipEndpoint() override;

  sip::TimerScheduler& scheduler() override { return scheduler_; }
  bool send_request(sip::SipMessage request, const sip::TransportTarget& target,
                    sip::ClientTransactionUser user) override;
  std::string local_hostport(const sip::TransportTarget& target) const override;
  void resolve(const Trunk& trunk,
               std::function<void(std::vector<sip::TransportTarget>)> done) override;

  sip::TransactionLayer& transactions() { return layer_; }
  const sip::TransactionTimers& timers() const { return timers_; }
  sip::MessageSender& sender() { return *this; }
  // Sends outside any transaction (the ACK for a 2xx, RFC 3261 13.2.2.4); adds our Via.
  bool send_stateless(sip::SipMessage message, const sip::TransportTarget& target);
  // "SIP/2.0/UDP host:port;branch=...;rport" for a request toward `target`.
  std::string make_via(const sip::TransportTarget& target) const;

  struct Stats {
    uint64_t udp_received = 0, udp_sent = 0, send_failures = 0;
  };
  Stats stats() const;

 private:
  bool Send(const sip::TransportTarget& target, std::string_view bytes) override;
  sip::UdpTransport* udp_toward(const sip::Endpoint& destination) const;
  sip::StreamTransport* stream_for(sip::TransportProtocol protocol) const;
  void open(sip::EventLoop& loop, const ListenAddress& l);

  sip::EventLoopScheduler scheduler_;
  sip::TransactionTimers timers_;
  mutable SourceAddressCache sources_;
  std::vector<std::unique_ptr<sip::UdpTransport>> udp_;
  std::vector<std::unique_ptr<sip::StreamTransport>> streams_;
  sip::TransactionLayer layer_;
  sip::DnsResolver resolver_;
  sip::ServerLocator locator_;
};

}  // namespace trunkgate::cp
