// The DNS records RFC 3263 server location works with, independent of the resolver library.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sip/transport/transport_protocol.h"

namespace trunkgate::sip {

struct NaptrRecord {
  std::uint16_t order = 0;
  std::uint16_t preference = 0;
  std::string flags;    // "s": the replacement is an SRV name
  std::string service;  // "SIP+D2U", "SIP+D2T", "SIPS+D2T"
  std::string replacement;
};

struct SrvRecord {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;
};

// Returns a uniformly distributed number in [0, bound]; injectable so tests can pin it.
using RandomSource = std::function<std::uint32_t(std::uint32_t bound)>;
RandomSource DefaultRandomSource();

// RFC 2782 ordering: ascending priority; within a priority, repeated weighted random selection
// (zero-weight records first, so they are picked only when nothing heavier remains or the draw
// is 0). A target of "." means the service is not offered and is dropped.
std::vector<SrvRecord> OrderSrvRecords(std::vector<SrvRecord> records, const RandomSource& random);

// RFC 3263 4.1: the NAPTR records for SIP over the transports we have, with flag "s", sorted by
// order then preference.
struct SipNaptrTarget {
  TransportProtocol protocol;
  std::string srv_name;
};
std::vector<SipNaptrTarget> SelectSipNaptrs(std::vector<NaptrRecord> records, bool tls_only);

}  // namespace trunkgate::sip
