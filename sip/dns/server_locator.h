// RFC 3263 section 4: from a SIP URI's host, port and transport to an ordered list of
// (transport, address, port) to try, via NAPTR, SRV and A/AAAA; and the failover cursor over it
// (next target on a transport error, a timeout or a 503, section 4.3).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sip/dns/dns_records.h"
#include "sip/dns/dns_resolver.h"
#include "sip/transaction/transport_target.h"

namespace trunkgate::sip {

struct LocateRequest {
  std::string host;                            // from the URI (or its maddr)
  std::optional<std::uint16_t> port;           // explicit port in the URI
  std::optional<TransportProtocol> transport;  // ;transport= in the URI
  bool sips = false;                           // sips: URI: TLS only
};

class ServerLocator {
 public:
  // `preference`: the transports we support, most preferred first, used when the domain has no
  // NAPTR records (RFC 3263 4.1).
  ServerLocator(DnsResolver& resolver, RandomSource random,
                std::vector<TransportProtocol> preference = {
                    TransportProtocol::kTls, TransportProtocol::kTcp, TransportProtocol::kUdp});

  // `done` receives the targets in the order to try them; empty if nothing resolved. TLS
  // targets carry the URI's domain as the identity to verify (RFC 5922 section 4).
  void Locate(const LocateRequest& request, std::function<void(std::vector<TransportTarget>)> done);

 private:
  class Job;

  DnsResolver& resolver_;
  RandomSource random_;
  std::vector<TransportProtocol> preference_;
};

// Walks the located targets: the caller sends to current() and, on a failure that RFC 3263 4.3
// says to fail over on, asks for the next.
class TargetFailover {
 public:
  explicit TargetFailover(std::vector<TransportTarget> targets) : targets_(std::move(targets)) {}

  const TransportTarget* current() const {
    return index_ < targets_.size() ? &targets_[index_] : nullptr;
  }
  // True if the failure of a request to current() calls for the next target: a transport error,
  // a timeout, or 503 Service Unavailable.
  static bool ShouldFailOver(std::optional<int> status_code) {
    return !status_code || *status_code == 503 || *status_code == 408;
  }
  // Moves to the next target; false when none is left.
  bool Advance() { return ++index_ < targets_.size(); }

 private:
  std::vector<TransportTarget> targets_;
  std::size_t index_ = 0;
};

std::uint16_t DefaultPort(TransportProtocol protocol);

}  // namespace trunkgate::sip
