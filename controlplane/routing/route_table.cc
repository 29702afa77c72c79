#include "controlplane/routing/route_table.h"

#include <algorithm>
#include <set>

namespace trunkgate::cp {

std::optional<RouteTable> RouteTable::build(std::vector<Route> routes, std::string& error) {
  std::set<std::pair<std::string, bool>> seen;
  for (const Route& r : routes) {
    const std::string where = "route '" + r.name + "': ";
    if (r.trunks.empty()) {
      error = where + "no trunks";
      return std::nullopt;
    }
    if (!std::all_of(r.prefix.begin(), r.prefix.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      error = where + "prefix '" + r.prefix + "' must be digits only (E.164 without '+')";
      return std::nullopt;
    }
    if (!seen.insert({r.prefix, r.emergency}).second) {
      error = where + "another " + (r.emergency ? "emergency " : "") + "route has prefix '" +
              r.prefix + "'";
      return std::nullopt;
    }
  }
  // Longest prefix first; ties keep configuration order.
  std::stable_sort(routes.begin(), routes.end(), [](const Route& a, const Route& b) {
    return a.prefix.size() > b.prefix.size();
  });
  RouteTable t;
  t.routes_ = std::move(routes);
  return t;
}

const Route* RouteTable::match(const Number& called) const {
  const bool emergency = called.cls == NumberClass::kEmergency;
  for (const Route& r : routes_) {
    if (r.emergency != emergency) continue;
    if (called.digits.compare(0, r.prefix.size(), r.prefix) == 0) return &r;
  }
  return nullptr;
}

}  // namespace trunkgate::cp
