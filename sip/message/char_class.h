// RFC 3261 character classes (section 25.1 and 19.1) as one lookup table: the scanners test every
// byte of every URI and parameter against these, so each test is a single load and mask.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace trunkgate::sip {

enum CharClass : std::uint8_t {
  kTokenChar = 1 << 0,     // token: alphanum and -.!%*_+`'~
  kUserChar = 1 << 1,      // user: unreserved / escaped / "&=+$,;?/"
  kPasswordChar = 1 << 2,  // password: unreserved / escaped / "&=+$,"
  kParamChar = 1 << 3,     // paramchar: unreserved / escaped / "[]/:&+$"
  kHeaderChar = 1 << 4,    // hname/hvalue: unreserved / escaped / "[]/?:+$" and "=&"
  kHostChar = 1 << 5,      // hostname and IPv4: alphanum, '-', '.'
  kHexChar = 1 << 6,       // HEXDIG
  kGenValueChar = 1 << 7,  // unquoted header param value: token / host (adds ':' and brackets)
};

namespace detail {

constexpr void mark(std::array<std::uint8_t, 256>& t, std::string_view chars, std::uint8_t cls) {
  for (char c : chars) t[static_cast<unsigned char>(c)] |= cls;
}

inline constexpr auto kCharClasses = [] {
  std::array<std::uint8_t, 256> t{};
  constexpr std::string_view kAlnum =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr std::string_view kMark = "-_.!~*'()";
  const std::uint8_t unreserved = kUserChar | kPasswordChar | kParamChar | kHeaderChar;
  mark(t, kAlnum, kTokenChar | unreserved | kHostChar);
  mark(t, "-.!%*_+`'~", kTokenChar);
  mark(t, kMark, unreserved);
  mark(t, "%", unreserved);  // escaped: the two hex digits are checked separately
  mark(t, "&=+$,;?/", kUserChar);
  mark(t, "&=+$,", kPasswordChar);
  mark(t, "[]/:&+$", kParamChar);
  mark(t, "[]/?:+$=&", kHeaderChar);
  mark(t, "-.", kHostChar);
  mark(t, "0123456789abcdefABCDEF", kHexChar);
  for (std::size_t c = 0; c < t.size(); ++c) {
    if (t[c] & kTokenChar) t[c] |= kGenValueChar;
  }
  mark(t, ":[]", kGenValueChar);
  return t;
}();

}  // namespace detail

constexpr bool has_class(char c, std::uint8_t classes) {
  return (detail::kCharClasses[static_cast<unsigned char>(c)] & classes) != 0;
}

// True if every byte of s is in `classes` (an empty s is true).
constexpr bool all_in_class(std::string_view s, std::uint8_t classes) {
  for (char c : s) {
    if (!has_class(c, classes)) return false;
  }
  return true;
}

}  // namespace trunkgate::sip
