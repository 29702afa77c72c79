// Generic `;name[=value]` parameter lists (URI parameters, header parameters) kept as the raw text
// they came from. Lookups scan that text, so parsing a header allocates nothing for its params;
// validate_params() checks the syntax and the count bound once, at parse time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sip/message/limits.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

struct Param {
  std::string_view name;   // LWS trimmed
  std::string_view value;  // LWS trimmed; quoted values keep their quotes; empty if no '='
  bool has_value = false;
};

class Params {
 public:
  Params() = default;
  // `raw` starts at the first ';' (or is empty). Use validate_params() before trusting it.
  explicit Params(std::string_view raw) : raw_(raw) {}

  std::string_view raw() const { return raw_; }
  bool empty() const { return raw_.empty(); }

  // Case-insensitive name lookup. nullopt if absent; "" for a name without value.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  std::size_t count() const;

  // Calls f(const Param&) for each parameter in order.
  template <class F>
  void for_each(F&& f) const {
    std::size_t pos = 0;
    Param p;
    while (next(pos, p)) f(p);
  }

  // Iteration primitive behind for_each/get: reads the parameter at `pos`, advances it.
  bool next(std::size_t& pos, Param& out) const;

 private:
  std::string_view raw_;
};

// Checks `raw` (starting at ';' or empty): each name a token, each value a token, quoted string or
// (for URIs) escaped characters, count within limits.max_params. `in_uri` selects the URI grammar.
Result<Params> validate_params(std::string_view raw, const ParseLimits& limits, bool in_uri);

}  // namespace trunkgate::sip
