#include "sip/message/auth_header.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

std::optional<std::string_view> AuthHeader::get(std::string_view name) const {
  for (const auto& p : params) {
    if (iequals(p.name, name)) return p.value;
  }
  return std::nullopt;
}

std::optional<std::string> AuthHeader::get_unquoted(std::string_view name) const {
  const auto raw = get(name);
  if (!raw) return std::nullopt;
  return unquote(*raw);
}

Result<AuthHeader> parse_auth_header(std::string_view value, const ParseLimits& limits) {
  value = trim_lws(value);
  AuthHeader out;
  std::size_t pos = 0;
  while (pos < value.size() && is_token_char(value[pos])) ++pos;
  out.scheme = value.substr(0, pos);
  if (out.scheme.empty()) return fail(ParseError::kBadHeaderValue, "auth scheme");
  auto elements = split_list(value.substr(pos), limits);
  if (!elements) return elements.failure();
  for (std::string_view element : *elements) {
    const std::size_t eq = element.find('=');
    if (eq == std::string_view::npos) return fail(ParseError::kBadParam, element);
    AuthParam p;
    p.name = trim_lws(element.substr(0, eq));
    p.value = trim_lws(element.substr(eq + 1));
    if (!is_token(p.name)) return fail(ParseError::kBadParam, p.name);
    p.quoted = !p.value.empty() && p.value.front() == '"';
    if (p.quoted ? skip_quoted(p.value, 0) != p.value.size() : !is_token(p.value)) {
      return fail(ParseError::kBadParam, p.name);
    }
    if (out.params.size() == limits.max_params) return fail(ParseError::kTooManyParams);
    out.params.push_back(p);
  }
  return out;
}

}  // namespace trunkgate::sip
