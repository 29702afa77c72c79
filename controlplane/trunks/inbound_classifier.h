// Which trunk a request belongs to, by the address it came from: the longest configured
// inbound_sources prefix that contains the source wins, across all trunks (a carrier's /24 and one
// of its hosts configured as a /32 on another trunk: the /32 wins). IPv4 sources that arrive as
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, from a dual-stack socket) match IPv4 prefixes.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "controlplane/config/trunk.h"
#include "sip/transport/endpoint.h"

namespace trunkgate::cp {

class InboundClassifier {
 public:
  // `trunks` must outlive the classifier (the configuration does; a reload builds a new one).
  // Prefixes that do not parse are skipped (the configuration validated them already).
  explicit InboundClassifier(const std::vector<Trunk>& trunks);

  // The trunk with the longest prefix containing `source`'s address, or nullptr. Between equal
  // prefixes on two trunks, the one configured first.
  const Trunk* match_source(const sip::Endpoint& source) const;

 private:
  // An address in the form the comparison uses: IPv4 as 4 bytes, IPv6 as 16 (a v4-mapped IPv6
  // address counts as IPv4).
  struct Address {
    bool v4 = false;
    std::array<uint8_t, 16> bytes{};
  };
  struct Entry {
    Address prefix;
    unsigned length = 0;
    const Trunk* trunk = nullptr;
  };

  static bool contains(const Entry& entry, const Address& address);

  std::vector<Entry> entries_;  // longest prefix first, configuration order among equals
};

}  // namespace trunkgate::cp
