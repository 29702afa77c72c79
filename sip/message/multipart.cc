#include "sip/message/multipart.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

std::string_view BodyPart::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return {};
}

std::string_view BodyPart::content_type() const {
  const std::string_view type = header("Content-Type");
  return type.empty() ? std::string_view("text/plain") : type;
}

namespace {

// Part headers end at the first empty line; a part without headers starts with CRLF directly.
Result<BodyPart> parse_part(std::string_view text, const ParseLimits& limits) {
  BodyPart part;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find("\r\n", pos);
    if (end == std::string_view::npos) return fail(ParseError::kBadMultipart, "part headers");
    if (end == pos) {
      part.body = text.substr(end + 2);
      return part;
    }
    const std::string_view line = text.substr(pos, end - pos);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return fail(ParseError::kBadMultipart, "part header");
    if (part.headers.size() == limits.max_headers) return fail(ParseError::kTooManyHeaders);
    part.headers.push_back({trim_lws(line.substr(0, colon)), trim_lws(line.substr(colon + 1))});
    pos = end + 2;
  }
  return fail(ParseError::kBadMultipart, "part headers");
}

}  // namespace

// RFC 2046 5.1.1: parts are separated by CRLF "--" boundary; the CRLF before a delimiter belongs to
// the delimiter, the body ends at the close delimiter "--" boundary "--". The preamble (text before
// the first delimiter) and the epilogue are ignored.
Result<std::vector<BodyPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              const ParseLimits& limits) {
  if (boundary.empty() || boundary.size() > 70) return fail(ParseError::kBadMultipart, "boundary");
  const std::string delimiter = "--" + std::string(boundary);
  std::size_t pos = body.starts_with(delimiter) ? 0 : body.find("\r\n" + delimiter);
  if (pos == std::string_view::npos) return fail(ParseError::kBadMultipart, "no delimiter");
  if (pos != 0) pos += 2;
  std::vector<BodyPart> parts;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;        // close delimiter
    const std::size_t line_end = body.find("\r\n", pos);  // transport padding may follow
    if (line_end == std::string_view::npos)
      return fail(ParseError::kBadMultipart, "delimiter line");
    const std::size_t next = body.find("\r\n" + delimiter, line_end);
    if (next == std::string_view::npos)
      return fail(ParseError::kBadMultipart, "no close delimiter");
    if (parts.size() == limits.max_multipart_parts)
      return fail(ParseError::kBadMultipart, "too many parts");
    auto part = parse_part(body.substr(line_end + 2, next - line_end - 2), limits);
    if (!part) return part.failure();
    parts.push_back(std::move(part).value());
    pos = next + 2;
  }
}

}  // namespace trunkgate::sip
