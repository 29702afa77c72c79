#include "sip/message/params.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

namespace {

bool valid_uri_part(std::string_view s) {
  return all_in_class_escaped(s, kParamChar);
}

// gen-value = token / host / quoted-string; hosts add ':' and brackets (IPv6 received=).
bool valid_header_value(std::string_view v) {
  if (!v.empty() && v.front() == '"') return skip_quoted(v, 0) == v.size();
  return !v.empty() && all_in_class(v, kGenValueChar);
}

// One pass over a parameter list in its usual form: no LWS, no quotes, every name and value made
// of its grammar's characters. True means validate_params' per-parameter checks would all pass
// (names and values here are a subset of what they accept); false means "look closer", never
// "invalid": the slow path then decides, and names the failing parameter.
bool plain_params_valid(std::string_view s, const ParseLimits& limits, bool in_uri) {
  const std::uint8_t name_class = in_uri ? kParamChar : kTokenChar;
  const std::uint8_t value_class = in_uri ? kParamChar : kGenValueChar;
  std::size_t n = 0;
  std::size_t i = 0;
  while (i < s.size()) {  // s[i] == ';'
    if (++n > limits.max_params) return false;
    const std::size_t name_end = scan_class(s, i + 1, name_class, in_uri);
    if (name_end == i + 1) return false;
    i = name_end;
    if (i < s.size() && s[i] == '=') {
      const std::size_t value_end = scan_class(s, i + 1, value_class, in_uri);
      if (!in_uri && value_end == i + 1) return false;  // a header param's value is never empty
      i = value_end;
    }
    if (i < s.size() && s[i] != ';') return false;
  }
  return true;
}

}  // namespace

bool Params::next(std::size_t& pos, Param& out) const {
  while (pos < raw_.size() && is_lws(raw_[pos])) ++pos;
  if (pos >= raw_.size() || raw_[pos] != ';') return false;
  ++pos;
  // The usual parameter ends at a ';' (or the end) with no quote or '<' before it: one scan, which
  // also notes the '=', instead of three memchr calls. Only a quoted value can hide a ';' (URI
  // params have no quotes; most header params neither), so after a quote or '<' the end is the
  // next top-level ';' if a quote follows anywhere, else simply the next ';'.
  std::size_t end = pos;
  std::size_t eq = std::string_view::npos;
  for (; end < raw_.size(); ++end) {
    const char c = raw_[end];
    if (c == ';' || c == '"' || c == '<') break;
    if (c == '=' && eq == std::string_view::npos) eq = end - pos;
  }
  if (end < raw_.size() && raw_[end] != ';') {
    end = raw_.find('"', pos) == std::string_view::npos ? raw_.find(';', pos)
                                                        : find_top_level(raw_, ';', pos);
    if (end == std::string_view::npos) end = raw_.size();
    eq = raw_.substr(pos, end - pos).find('=');
  }
  const std::string_view item = raw_.substr(pos, end - pos);
  pos = end;
  out.has_value = eq != std::string_view::npos;
  out.name = trim_lws(item.substr(0, eq));
  out.value = out.has_value ? trim_lws(item.substr(eq + 1)) : std::string_view{};
  return true;
}

std::optional<std::string_view> Params::get(std::string_view name) const {
  std::size_t pos = 0;
  Param p;
  while (next(pos, p)) {
    if (iequals(p.name, name)) return p.value;
  }
  return std::nullopt;
}

std::size_t Params::count() const {
  std::size_t n = 0;
  for_each([&n](const Param&) { ++n; });
  return n;
}

Result<Params> validate_params(std::string_view raw, const ParseLimits& limits, bool in_uri) {
  const std::string_view trimmed = trim_lws(raw);
  if (trimmed.empty()) return Params{};
  if (trimmed.front() != ';') return fail(ParseError::kBadParam);
  const Params params(trimmed);
  if (plain_params_valid(trimmed, limits, in_uri)) return params;
  std::size_t pos = 0;
  std::size_t n = 0;
  Param p;
  while (params.next(pos, p)) {
    if (++n > limits.max_params) return fail(ParseError::kTooManyParams);
    const bool name_ok = in_uri ? (!p.name.empty() && valid_uri_part(p.name)) : is_token(p.name);
    if (!name_ok) return fail(ParseError::kBadParam, p.name);
    if (!p.has_value) continue;
    if (!in_uri && !p.value.empty() && p.value.front() == '"' &&
        skip_quoted(p.value, 0) == std::string_view::npos) {
      return fail(ParseError::kUnterminatedQuote, p.name);
    }
    const bool value_ok = in_uri ? valid_uri_part(p.value) : valid_header_value(p.value);
    if (!value_ok) {
      return fail(
          in_uri && !has_valid_escapes(p.value) ? ParseError::kBadEscape : ParseError::kBadParam,
          p.name);
    }
  }
  if (pos != trimmed.size()) return fail(ParseError::kBadParam);
  return params;
}

}  // namespace trunkgate::sip
