#include "sip/message/scalar_headers.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

namespace {

// Splits "first rest" at the first LWS run; rest is LWS-trimmed.
std::pair<std::string_view, std::string_view> split_word(std::string_view s) {
  s = trim_lws(s);
  std::size_t end = 0;
  while (end < s.size() && !is_lws(s[end])) ++end;
  return {s.substr(0, end), trim_lws(s.substr(end))};
}

// "head;params": the part before the first ';' (LWS-trimmed) and the validated params.
Result<std::pair<std::string_view, Params>> head_and_params(std::string_view value,
                                                            const ParseLimits& limits) {
  value = trim_lws(value);
  const std::size_t semi = value.find(';');
  Params params;
  if (semi != std::string_view::npos) {
    auto validated = validate_params(value.substr(semi), limits, /*in_uri=*/false);
    if (!validated) return validated.failure();
    params = *validated;
  }
  return std::pair{trim_lws(value.substr(0, semi)), params};
}

// A leading delta-seconds followed by ;params (Session-Expires, Min-SE).
Result<std::pair<std::uint32_t, Params>> number_with_params(std::string_view value,
                                                            const ParseLimits& limits) {
  auto parts = head_and_params(value, limits);
  if (!parts) return parts.failure();
  const auto number = parse_decimal(parts->first, 0xffffffffULL);
  if (!number) return fail(ParseError::kBadNumber, value);
  return std::pair{static_cast<std::uint32_t>(*number), parts->second};
}

}  // namespace

Result<CSeq> parse_cseq(std::string_view value) {
  const auto [number_text, method] = split_word(value);
  const auto number = parse_decimal(number_text, kMaxCSeq);
  if (!number) return fail(ParseError::kBadNumber, "CSeq");
  if (!is_token(method)) return fail(ParseError::kBadHeaderValue, "CSeq");
  return CSeq{static_cast<std::uint32_t>(*number), method};
}

Result<std::uint32_t> parse_uint32(std::string_view value) {
  const auto number = parse_decimal(trim_lws(value), 0xffffffffULL);
  if (!number) return fail(ParseError::kBadNumber, value);
  return static_cast<std::uint32_t>(*number);
}

Result<SessionExpires> parse_session_expires(std::string_view value, const ParseLimits& limits) {
  auto parsed = number_with_params(value, limits);
  if (!parsed) return parsed.failure();
  return SessionExpires{parsed->first, parsed->second};
}

Result<std::uint32_t> parse_min_se(std::string_view value, const ParseLimits& limits) {
  auto parsed = number_with_params(value, limits);
  if (!parsed) return parsed.failure();
  return parsed->first;
}

Result<RAck> parse_rack(std::string_view value) {
  const auto [rseq_text, rest] = split_word(value);
  const auto [cseq_text, method] = split_word(rest);
  const auto rseq = parse_decimal(rseq_text, 0xffffffffULL);
  const auto cseq = parse_decimal(cseq_text, kMaxCSeq);
  if (!rseq || !cseq) return fail(ParseError::kBadNumber, "RAck");
  if (!is_token(method)) return fail(ParseError::kBadHeaderValue, "RAck");
  return RAck{static_cast<std::uint32_t>(*rseq), static_cast<std::uint32_t>(*cseq), method};
}

Result<RetryAfter> parse_retry_after(std::string_view value, const ParseLimits& limits) {
  value = trim_lws(value);
  RetryAfter out;
  std::size_t end = 0;
  while (end < value.size() && value[end] >= '0' && value[end] <= '9') ++end;
  const auto seconds = parse_decimal(value.substr(0, end), 0xffffffffULL);
  if (!seconds) return fail(ParseError::kBadNumber, "Retry-After");
  out.seconds = static_cast<std::uint32_t>(*seconds);
  std::string_view rest = trim_lws(value.substr(end));
  if (!rest.empty() && rest.front() == '(') {
    const std::size_t close = rest.find(')');
    if (close == std::string_view::npos) return fail(ParseError::kBadHeaderValue, "Retry-After");
    out.comment = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
  }
  auto params = validate_params(rest, limits, /*in_uri=*/false);
  if (!params) return params.failure();
  out.params = *params;
  return out;
}

Result<TokenWithParams> parse_token_with_params(std::string_view value, const ParseLimits& limits) {
  auto parts = head_and_params(value, limits);
  if (!parts) return parts.failure();
  if (!is_token(parts->first)) return fail(ParseError::kBadHeaderValue, parts->first);
  return TokenWithParams{parts->first, parts->second};
}

std::optional<std::uint32_t> subscription_expires(const TokenWithParams& state) {
  const auto text = state.params.get("expires");
  if (!text) return std::nullopt;
  const auto v = parse_decimal(*text, 0xffffffffULL);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

Result<Replaces> parse_replaces(std::string_view value, const ParseLimits& limits) {
  auto parts = head_and_params(value, limits);
  if (!parts) return parts.failure();
  if (parts->first.empty()) return fail(ParseError::kBadHeaderValue, "Replaces");
  return Replaces{parts->first, parts->second};
}

Result<std::vector<std::string_view>> parse_token_list(std::string_view value,
                                                       const ParseLimits& limits) {
  auto elements = split_list(value, limits);
  if (!elements) return elements.failure();
  std::vector<std::string_view> out;
  for (std::string_view element : *elements) {
    // Privacy uses ';' between values (RFC 3323); treat it as another separator.
    std::size_t start = 0;
    while (start <= element.size()) {
      std::size_t end = element.find(';', start);
      if (end == std::string_view::npos) end = element.size();
      const std::string_view token = trim_lws(element.substr(start, end - start));
      if (!token.empty()) {
        if (!is_token(token)) return fail(ParseError::kBadHeaderValue, token);
        if (out.size() == limits.max_list_values) return fail(ParseError::kTooManyValues);
        out.push_back(token);
      }
      start = end + 1;
    }
  }
  return out;
}

}  // namespace trunkgate::sip
