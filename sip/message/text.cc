#include "sip/message/text.h"

#include <array>

namespace trunkgate::sip {

namespace {

constexpr std::array<bool, 256> make_token_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("-.!%*_+`'~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto kTokenTable = make_token_table();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_token_char(char c) { return kTokenTable[static_cast<unsigned char>(c)]; }

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool is_lws(char c) { return c == ' ' || c == '\t'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim_lws(std::string_view s) {
  while (!s.empty() && is_lws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_lws(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return std::nullopt;  // also stops overflow: max < 2^64 / 10 in every caller
  }
  return v;
}

std::size_t skip_quoted(std::string_view s, std::size_t pos) {
  for (std::size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // quoted-pair: the next byte is literal
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

std::optional<std::string> unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::size_t find_top_level(std::string_view s, char c, std::size_t pos) {
  bool in_angle = false;
  for (std::size_t i = pos; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch == '"' && !in_angle) {
      i = skip_quoted(s, i);
      if (i == std::string_view::npos) return std::string_view::npos;
      --i;
    } else if (ch == '<') {
      in_angle = true;
    } else if (ch == '>') {
      in_angle = false;
    } else if (ch == c && !in_angle) {
      return i;
    }
  }
  return std::string_view::npos;
}

Result<std::vector<std::string_view>> split_list(std::string_view value, const ParseLimits& limits) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  bool in_angle = false;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size()) {
      const char ch = value[i];
      if (ch == '"' && !in_angle) {
        const std::size_t end = skip_quoted(value, i);
        if (end == std::string_view::npos) return fail(ParseError::kUnterminatedQuote);
        i = end - 1;
        continue;
      }
      if (ch == '<') {
        if (in_angle) return fail(ParseError::kUnbalancedAngle);
        in_angle = true;
        continue;
      }
      if (ch == '>') {
        if (!in_angle) return fail(ParseError::kUnbalancedAngle);
        in_angle = false;
        continue;
      }
      if (ch != ',' || in_angle) continue;
    }
    const std::string_view element = trim_lws(value.substr(start, i - start));
    if (!element.empty()) {
      if (out.size() == limits.max_list_values) return fail(ParseError::kTooManyValues);
      out.push_back(element);
    }
    start = i + 1;
  }
  if (in_angle) return fail(ParseError::kUnbalancedAngle);
  return out;
}

}  // namespace trunkgate::sip
