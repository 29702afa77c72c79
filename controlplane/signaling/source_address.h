// Which of the gateway's addresses the kernel would send from to reach a destination: the
// gateway listens on one address per side (PBX, carrier), and Via, Contact and the socket a
// message leaves on must all be the one facing the peer.
#pragma once

#include <string>
#include <unordered_map>

#include "sip/transport/endpoint.h"

namespace trunkgate::cp {

class SourceAddressCache {
 public:
  // The local address (numeric, no brackets) the routing table picks toward `destination`; empty
  // when there is no route. Cached per destination address; the cache is bounded (cleared when
  // full: sources are few in practice, and a flood of distinct ones only costs lookups).
  const std::string& lookup(const sip::Endpoint& destination);

 private:
  static constexpr size_t kMaxEntries = 4096;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace trunkgate::cp
