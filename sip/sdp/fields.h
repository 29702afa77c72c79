// Space-separated SDP fields, shared by the line parser and the attribute views.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace trunkgate::sip::sdp {

// Splits on single spaces into at most N fields and returns how many were found; the last field
// takes the rest of the line (formats of m=, session params of a=crypto).
template <std::size_t N>
std::size_t split_fields(std::string_view s, std::array<std::string_view, N>& out) {
  std::size_t n = 0;
  while (!s.empty() && n < N) {
    const std::size_t sp = (n + 1 == N) ? std::string_view::npos : s.find(' ');
    out[n++] = s.substr(0, sp);
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return n;
}

}  // namespace trunkgate::sip::sdp
