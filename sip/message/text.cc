#include "sip/message/text.h"

#include <array>

namespace trunkgate::sip {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool has_valid_escapes(std::string_view s) {
  for (std::size_t i = s.find('%'); i != std::string_view::npos; i = s.find('%', i + 3)) {
    if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return false;
  }
  return true;
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

bool ListSplitter::next(std::string_view& element) {
  while (pos_ <= value_.size()) {
    const std::size_t start = pos_;
    bool in_angle = false;
    std::size_t i = start;
    for (; i < value_.size(); ++i) {
      const char ch = value_[i];
      if (ch == '"' && !in_angle) {
        const std::size_t end = skip_quoted(value_, i);
        if (end == std::string_view::npos) return (error_ = ParseError::kUnterminatedQuote, false);
        i = end - 1;
      } else if (ch == '<') {
        if (in_angle) return (error_ = ParseError::kUnbalancedAngle, false);
        in_angle = true;
      } else if (ch == '>') {
        if (!in_angle) return (error_ = ParseError::kUnbalancedAngle, false);
        in_angle = false;
      } else if (ch == ',' && !in_angle) {
        break;
      }
    }
    if (in_angle) return (error_ = ParseError::kUnbalancedAngle, false);
    pos_ = i + 1;
    element = trim_lws(value_.substr(start, i - start));
    if (element.empty()) continue;
    if (++count_ > limits_.max_list_values) return (error_ = ParseError::kTooManyValues, false);
    return true;
  }
  return false;
}

Result<std::vector<std::string_view>> split_list(std::string_view value,
                                                 const ParseLimits& limits) {
  std::vector<std::string_view> out;
  ListSplitter splitter(value, limits);
  std::string_view element;
  while (splitter.next(element)) out.push_back(element);
  if (splitter.error() != ParseError::kNone) return fail(splitter.error());
  return out;
}

}  // namespace trunkgate::sip
