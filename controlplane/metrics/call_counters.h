// Call counters per trunk for /metrics, kept by the B2BUA on its event-loop thread.
// Inbound: every INVITE admitted to a trunk (after recognition and authentication) is an attempt;
// its result is the final status the gateway answered the caller (one per attempt, as its CDR).
// Outbound: every INVITE sent to a trunk's target is an attempt (route advance makes several per
// call); its result is the trunk's final response, or a local failure (timeout, transport error).
// Labels stay bounded: trunks come from the configuration, status codes are 100..699 (the parser
// refuses others), reasons come from a fixed table, never from the peer's reason phrase.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace trunkgate::cp {

struct TrunkCallCounters {
  uint64_t attempts = 0;
  std::map<std::pair<int, std::string>, uint64_t> results;  // (status, reason) -> count
};

class CallCounters {
 public:
  // `status` 0 is "no final status": the attempt ended without one (see `failure`).
  void inbound_attempt(std::string_view trunk) { ++at(inbound_, trunk).attempts; }
  void inbound_result(std::string_view trunk, int status);
  void outbound_attempt(std::string_view trunk) { ++at(outbound_, trunk).attempts; }
  void outbound_response(std::string_view trunk, int status);
  // No response: "timeout" or "transport_error".
  void outbound_failure(std::string_view trunk, std::string_view failure);

  using ByTrunk = std::map<std::string, TrunkCallCounters, std::less<>>;
  const ByTrunk& inbound() const { return inbound_; }
  const ByTrunk& outbound() const { return outbound_; }

 private:
  static TrunkCallCounters& at(ByTrunk& map, std::string_view trunk);

  ByTrunk inbound_;
  ByTrunk outbound_;
};

// The RFC 3261 (and RFC 3262/3329/4028/4412/5079/6228/8224 ...) reason phrase of a status code;
// for codes without one, "Unknown <class>xx"; "none" for 0.
std::string_view standard_reason_phrase(int status);

}  // namespace trunkgate::cp
