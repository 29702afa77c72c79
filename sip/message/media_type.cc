#include "sip/message/media_type.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

bool MediaType::is(std::string_view t, std::string_view s) const {
  return iequals(type, t) && iequals(subtype, s);
}

bool MediaType::is_multipart() const {
  return iequals(type, "multipart");
}

std::string_view MediaType::boundary() const {
  std::string_view b = params.get("boundary").value_or(std::string_view{});
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  return b;
}

Result<MediaType> parse_media_type(std::string_view value, const ParseLimits& limits) {
  value = trim_lws(value);
  const std::size_t slash = value.find('/');
  if (slash == std::string_view::npos) return fail(ParseError::kBadContentType, value);
  std::size_t end = value.find(';', slash);
  if (end == std::string_view::npos) end = value.size();
  MediaType out;
  out.type = trim_lws(value.substr(0, slash));
  out.subtype = trim_lws(value.substr(slash + 1, end - slash - 1));
  if (!is_token(out.type) || !is_token(out.subtype))
    return fail(ParseError::kBadContentType, value);
  auto params = validate_params(value.substr(end), limits, /*in_uri=*/false);
  if (!params) return params.failure();
  out.params = *params;
  return out;
}

}  // namespace trunkgate::sip
