// Via (RFC 3261 20.42, RFC 3581 rport): sent-protocol, sent-by and params, LWS allowed around '/'.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/params.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

struct Via {
  std::string_view protocol_name;  // "SIP"
  std::string_view version;        // "2.0"
  std::string_view transport;      // "UDP", "TCP", "TLS", "SCTP", "WS" ... as written
  std::string_view host;           // IPv6 keeps brackets
  std::uint16_t port = 0;
  bool has_port = false;
  Params params;

  // Empty when absent (RFC 2543 peers send Via without branch; CUCM traces do).
  std::string_view branch() const { return params.get("branch").value_or(std::string_view{}); }
  // True if the branch carries the RFC 3261 magic cookie z9hG4bK.
  bool is_rfc3261_branch() const;
  std::optional<std::string_view> received() const { return params.get("received"); }
  std::optional<std::string_view> rport() const { return params.get("rport"); }
};

Result<Via> parse_via(std::string_view value, const ParseLimits& limits = kDefaultLimits);
Result<std::vector<Via>> parse_via_list(std::string_view value,
                                        const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
