// What the parts of trunkgate-cp other than the B2BUA's call logic (trunk keepalive, registration,
// inbound authentication) need from the SIP endpoint: timers, sending out-of-dialog requests with
// the gateway's own Via, and the gateway's address as a peer sees it. The production
// implementation is SipEndpoint (controlplane/signaling/sip_endpoint.h); unit tests of those parts
// may implement it over a scripted peer.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "controlplane/config/trunk.h"
#include "sip/message/message.h"
#include "sip/transaction/client_transaction.h"
#include "sip/transaction/timer_scheduler.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::cp {

class SipServices {
 public:
  virtual ~SipServices() = default;

  virtual sip::TimerScheduler& scheduler() = 0;
  // Prepends the gateway's Via (transport and sent-by for `target`, a new branch, rport) unless
  // the request has one already (a CANCEL copies its INVITE's), adds
  // Max-Forwards: 70 when absent, and starts a client transaction. False when the request could
  // not be sent at all (no local transport for the target's protocol and family).
  virtual bool send_request(sip::SipMessage request, const sip::TransportTarget& target,
                            sip::ClientTransactionUser user) = 0;
  // "host:port" at which `target` reaches the gateway (for Contact and From URIs); IPv6 in
  // brackets. Empty when no listener serves the target's protocol and family.
  virtual std::string local_hostport(const sip::TransportTarget& target) const = 0;
  // A trunk's peer as transport targets in the order to try them: one for a numeric address;
  // RFC 3263 (NAPTR/SRV/A/AAAA) for names. An empty list when the name does not resolve.
  virtual void resolve(const Trunk& trunk,
                       std::function<void(std::vector<sip::TransportTarget>)> done) = 0;
};

}  // namespace trunkgate::cp
