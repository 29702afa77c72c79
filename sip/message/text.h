// Lexical helpers shared by the header parsers: RFC 3261 character classes, LWS trimming,
// case-insensitive comparison, quoted strings, and splitting comma lists while respecting quotes
// and angle brackets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message/char_class.h"
#include "sip/message/limits.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

// Called for every byte of every header, hence inline.
inline bool is_token_char(char c) {
  return has_class(c, kTokenChar);
}
inline bool is_lws(char c) {
  return c == ' ' || c == '\t';
}  // folding is already spaces
constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
bool is_token(std::string_view s);
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// string_view::find_first_of calls memchr over `set` once per byte scanned; for the two to four
// delimiters the parsers look for, a plain loop is several times faster.
inline std::size_t find_any(std::string_view s, std::string_view set, std::size_t from = 0) {
  for (std::size_t i = from; i < s.size(); ++i) {
    for (char c : set) {
      if (s[i] == c) return i;
    }
  }
  return std::string_view::npos;
}

// True if every '%' starts an escape of two hex digits.
bool has_valid_escapes(std::string_view s);

// End of the run of `classes` bytes starting at s[i]; with `escaped`, a '%' must start an escape
// of two hex digits, else the run stops at it. Inline: the URI and parameter scanners' inner loop.
inline std::size_t scan_class(std::string_view s, std::size_t i, std::uint8_t classes,
                              bool escaped) {
  while (i < s.size() && has_class(s[i], classes)) {
    if (escaped && s[i] == '%') {
      if (i + 2 >= s.size() || !has_class(s[i + 1], kHexChar) || !has_class(s[i + 2], kHexChar))
        return i;
      i += 2;
    }
    ++i;
  }
  return i;
}

// all_in_class(s, classes) && has_valid_escapes(s) in one pass without memchr: the check of every
// URI part (user, password, params, headers), whose classes all include '%'.
inline bool all_in_class_escaped(std::string_view s, std::uint8_t classes) {
  return scan_class(s, 0, classes, /*escaped=*/true) == s.size();
}

// Inline: called for every header value, parameter and list element.
inline std::string_view trim_lws(std::string_view s) {
  while (!s.empty() && is_lws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_lws(s.back())) s.remove_suffix(1);
  return s;
}

// Parses a decimal number of at most `max` (no sign, no spaces, at least one digit).
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max);

// Position just past the closing quote of the quoted string starting at s[pos] == '"', honouring
// backslash escapes; npos if unterminated.
std::size_t skip_quoted(std::string_view s, std::size_t pos);

// Removes the surrounding quotes and backslash escapes; returns the input unchanged if not quoted.
std::string unquote(std::string_view s);

// Percent-decodes a URI component ("%41" -> "A"); nullopt if an escape is malformed.
std::optional<std::string> unescape(std::string_view s);

// Walks the top-level comma-separated elements of a header value (commas inside quotes or <...>
// do not split), LWS-trimmed, empty elements skipped, without allocating.
class ListSplitter {
 public:
  ListSplitter(std::string_view value, const ParseLimits& limits)
      : value_(value), limits_(limits) {}
  // The next element; false at the end or on an error (then error() tells which).
  bool next(std::string_view& element);
  ParseError error() const { return error_; }

 private:
  std::string_view value_;
  const ParseLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t count_ = 0;
  ParseError error_ = ParseError::kNone;
};

// All elements of ListSplitter at once. Fails on unterminated quotes/brackets or more than
// limits.max_list_values elements.
Result<std::vector<std::string_view>> split_list(std::string_view value, const ParseLimits& limits);

// Finds `c` at top level in s starting at pos (outside quotes and <...>); npos if absent.
std::size_t find_top_level(std::string_view s, char c, std::size_t pos = 0);

}  // namespace trunkgate::sip

namespace trunkgate::sip {

// Splits a comma list and parses each element with `parse_one(element, limits)`.
template <class T, class ParseOne>
Result<std::vector<T>> parse_each(std::string_view value, const ParseLimits& limits,
                                  ParseOne&& parse_one) {
  auto elements = split_list(value, limits);
  if (!elements) return elements.failure();
  std::vector<T> out;
  out.reserve(elements->size());
  for (std::string_view element : *elements) {
    auto parsed = parse_one(element, limits);
    if (!parsed) return parsed.failure();
    out.push_back(std::move(parsed).value());
  }
  return out;
}

}  // namespace trunkgate::sip
