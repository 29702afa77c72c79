// Routes: the longest prefix of the normalized called number picks an ordered list of trunks to
// try. Emergency numbers match only emergency routes (and are never rate-limited by the caller).
// Immutable once built: a reload builds a new table and swaps it, so calls in progress keep the
// table they started with.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controlplane/routing/number.h"

namespace trunkgate::cp {

struct Route {
  std::string name;
  std::string prefix;  // E.164 digits without '+' ("1966"), or an emergency code; "" matches all
  bool emergency = false;
  std::vector<std::string> trunks;  // tried in this order
};

class RouteTable {
 public:
  // Fails (with a reason naming the route) on duplicate (prefix, class) pairs, routes without
  // trunks, or non-digit prefixes.
  static std::optional<RouteTable> build(std::vector<Route> routes, std::string& error);

  // nullptr when no route matches.
  const Route* match(const Number& called) const;
  size_t size() const { return routes_.size(); }

 private:
  std::vector<Route> routes_;  // sorted by prefix length, longest first
};

}  // namespace trunkgate::cp
