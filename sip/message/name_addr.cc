#include "sip/message/name_addr.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

namespace {

// Unquoted display-name: *(token LWS), RFC 3261 25.1.
bool is_token_phrase(std::string_view s) {
  for (char c : s) {
    if (!is_token_char(c) && !is_lws(c)) return false;
  }
  return true;
}

// Position of the '<' opening the URI, skipping a quoted display name; npos if none.
Result<std::size_t> find_open_angle(std::string_view value) {
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '"') {
      i = skip_quoted(value, i);
      if (i == std::string_view::npos) return fail(ParseError::kUnterminatedQuote);
      --i;
    } else if (value[i] == '<') {
      return i;
    }
  }
  return std::string_view::npos;
}

Result<NameAddr> parse_bracketed(std::string_view value, std::size_t open,
                                 const ParseLimits& limits) {
  NameAddr out;
  out.angle_brackets = true;
  out.display_name = trim_lws(value.substr(0, open));
  if (!out.display_name.empty() && out.display_name.front() == '"') {
    if (skip_quoted(out.display_name, 0) != out.display_name.size()) {
      return fail(ParseError::kBadHeaderValue, out.display_name);
    }
  } else if (!is_token_phrase(out.display_name)) {
    return fail(ParseError::kBadHeaderValue, out.display_name);
  }
  const std::size_t close = value.find('>', open);
  if (close == std::string_view::npos) return fail(ParseError::kUnbalancedAngle);
  // No LWS inside the brackets (RFC 4475 badaspec).
  if (auto r = parse_uri_into(out.uri, value.substr(open + 1, close - open - 1), limits); !r) {
    return r.failure();
  }
  auto params = validate_params(value.substr(close + 1), limits, /*in_uri=*/false);
  if (!params) return params.failure();
  out.params = *params;
  return out;
}

// addr-spec without brackets: the URI ends at LWS or at the first ';' after the host part, and
// any following ;params belong to the header (RFC 3261 20.10).
Result<NameAddr> parse_bare(std::string_view value, const ParseLimits& limits) {
  if (value.find('>') != std::string_view::npos) return fail(ParseError::kUnbalancedAngle);
  const std::size_t at = value.find('@');
  std::size_t end = find_any(value, "; \t", at == std::string_view::npos ? 0 : at);
  if (end == std::string_view::npos) end = value.size();
  NameAddr out;
  if (auto r = parse_uri_into(out.uri, value.substr(0, end), limits); !r) return r.failure();
  if (!out.uri.headers.empty()) return fail(ParseError::kBadUri, out.uri.text);
  auto params = validate_params(value.substr(end), limits, /*in_uri=*/false);
  if (!params) return params.failure();
  out.params = *params;
  return out;
}

}  // namespace

std::string NameAddr::display_name_text() const {
  return unquote(display_name);
}

Result<NameAddr> parse_name_addr(std::string_view value, const ParseLimits& limits) {
  value = trim_lws(value);
  if (value.empty()) return fail(ParseError::kBadHeaderValue);
  if (value == "*") {
    NameAddr star;
    star.is_star = true;
    return star;
  }
  auto open = find_open_angle(value);
  if (!open) return open.failure();
  if (*open == std::string_view::npos) return parse_bare(value, limits);
  return parse_bracketed(value, *open, limits);
}

Result<std::vector<NameAddr>> parse_name_addr_list(std::string_view value,
                                                   const ParseLimits& limits) {
  return parse_each<NameAddr>(value, limits, [](std::string_view e, const ParseLimits& l) {
    return parse_name_addr(e, l);
  });
}

}  // namespace trunkgate::sip
