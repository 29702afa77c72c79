// SipMessage: header lookup, typed accessors, building and serialization.
#include "sip/message/message.h"

#include "sip/message/text.h"

namespace trunkgate::sip {

template <class T, class F>
Result<T> SipMessage::parse_first(HeaderId id, F&& parser) const {
  const auto value = find(id);
  if (!value) return fail(ParseError::kMissingHeader, canonical_name(id));
  return parser(*value);
}

namespace {

// Parses every field of `fields` with parse_list and concatenates the results.
template <class T, class ParseList>
Result<std::vector<T>> concat(const std::vector<std::string_view>& fields, ParseList&& parse_list) {
  std::vector<T> out;
  for (std::string_view field : fields) {
    auto parsed = parse_list(field);
    if (!parsed) return parsed.failure();
    out.insert(out.end(), parsed->begin(), parsed->end());
  }
  return out;
}

}  // namespace

HeaderField SipMessage::header(std::size_t index) const {
  const StoredHeader& h = headers_[index];
  return HeaderField{h.id, view(h.name), view(h.value)};
}

std::optional<std::string_view> SipMessage::find(HeaderId id) const {
  for (const StoredHeader& h : headers_) {
    if (h.id == id) return view(h.value);
  }
  return std::nullopt;
}

std::optional<std::string_view> SipMessage::find(std::string_view name) const {
  const HeaderId id = header_id(name);
  if (id != HeaderId::kOther) return find(id);
  for (const StoredHeader& h : headers_) {
    if (h.id == HeaderId::kOther && iequals(view(h.name), name)) return view(h.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> SipMessage::fields(HeaderId id) const {
  std::vector<std::string_view> out;
  for (const StoredHeader& h : headers_) {
    if (h.id == id) out.push_back(view(h.value));
  }
  return out;
}

Result<std::vector<std::string_view>> SipMessage::list(HeaderId id,
                                                       const ParseLimits& limits) const {
  return concat<std::string_view>(fields(id),
                                  [&](std::string_view f) { return split_list(f, limits); });
}

Result<Uri> SipMessage::request_uri(const ParseLimits& limits) const {
  return parse_uri(request_uri_text(), limits);
}

Result<CSeq> SipMessage::cseq() const {
  return parse_first<CSeq>(HeaderId::kCSeq, parse_cseq);
}

Result<Via> SipMessage::top_via(const ParseLimits& limits) const {
  auto all = vias(limits);
  if (!all) return all.failure();
  if (all->empty()) return fail(ParseError::kMissingHeader, "Via");
  return all->front();
}

Result<std::vector<Via>> SipMessage::vias(const ParseLimits& limits) const {
  return concat<Via>(fields(HeaderId::kVia),
                     [&](std::string_view f) { return parse_via_list(f, limits); });
}

Result<NameAddr> SipMessage::from(const ParseLimits& limits) const {
  return parse_first<NameAddr>(HeaderId::kFrom,
                               [&](std::string_view v) { return parse_name_addr(v, limits); });
}

Result<NameAddr> SipMessage::to(const ParseLimits& limits) const {
  return parse_first<NameAddr>(HeaderId::kTo,
                               [&](std::string_view v) { return parse_name_addr(v, limits); });
}

Result<std::uint32_t> SipMessage::max_forwards() const {
  return parse_first<std::uint32_t>(HeaderId::kMaxForwards, parse_uint32);
}

std::optional<std::size_t> SipMessage::content_length() const {
  const auto text = find(HeaderId::kContentLength);
  if (!text) return std::nullopt;
  const auto v = parse_decimal(*text, 0xffffffffULL);
  if (!v) return std::nullopt;
  return static_cast<std::size_t>(*v);
}

Result<MediaType> SipMessage::content_type(const ParseLimits& limits) const {
  return parse_first<MediaType>(HeaderId::kContentType,
                                [&](std::string_view v) { return parse_media_type(v, limits); });
}

Result<std::vector<NameAddr>> SipMessage::name_addrs(HeaderId id, const ParseLimits& limits) const {
  return concat<NameAddr>(fields(id),
                          [&](std::string_view f) { return parse_name_addr_list(f, limits); });
}

Result<std::vector<std::string_view>> SipMessage::tokens(HeaderId id,
                                                         const ParseLimits& limits) const {
  return concat<std::string_view>(fields(id),
                                  [&](std::string_view f) { return parse_token_list(f, limits); });
}

bool SipMessage::has_option_tag(HeaderId id, std::string_view tag) const {
  const auto all = tokens(id);
  if (!all) return false;
  for (std::string_view t : *all) {
    if (iequals(t, tag)) return true;
  }
  return false;
}

Result<SessionExpires> SipMessage::session_expires() const {
  return parse_first<SessionExpires>(HeaderId::kSessionExpires,
                                     [](std::string_view v) { return parse_session_expires(v); });
}

Result<std::uint32_t> SipMessage::min_se() const {
  return parse_first<std::uint32_t>(HeaderId::kMinSE,
                                    [](std::string_view v) { return parse_min_se(v); });
}

Result<std::uint32_t> SipMessage::rseq() const {
  return parse_first<std::uint32_t>(HeaderId::kRSeq, parse_uint32);
}

Result<RAck> SipMessage::rack() const {
  return parse_first<RAck>(HeaderId::kRAck, parse_rack);
}

Result<RetryAfter> SipMessage::retry_after() const {
  return parse_first<RetryAfter>(HeaderId::kRetryAfter,
                                 [](std::string_view v) { return parse_retry_after(v); });
}

Result<std::vector<TokenWithParams>> SipMessage::reasons() const {
  return concat<TokenWithParams>(fields(HeaderId::kReason), [](std::string_view f) {
    return parse_each<TokenWithParams>(
        f, kDefaultLimits,
        [](std::string_view e, const ParseLimits& l) { return parse_token_with_params(e, l); });
  });
}

Result<TokenWithParams> SipMessage::event() const {
  return parse_first<TokenWithParams>(
      HeaderId::kEvent, [](std::string_view v) { return parse_token_with_params(v); });
}

Result<TokenWithParams> SipMessage::subscription_state() const {
  return parse_first<TokenWithParams>(
      HeaderId::kSubscriptionState, [](std::string_view v) { return parse_token_with_params(v); });
}

Result<Replaces> SipMessage::replaces() const {
  return parse_first<Replaces>(HeaderId::kReplaces,
                               [](std::string_view v) { return parse_replaces(v); });
}

Result<std::vector<AuthHeader>> SipMessage::auth_headers(HeaderId id,
                                                         const ParseLimits& limits) const {
  std::vector<AuthHeader> out;
  for (std::string_view field : fields(id)) {
    auto parsed = parse_auth_header(field, limits);
    if (!parsed) return parsed.failure();
    out.push_back(std::move(parsed).value());
  }
  return out;
}

// --- building ---

SipMessage::Span SipMessage::append(std::string_view text) {
  const Span s{static_cast<std::uint32_t>(buffer_.size()), static_cast<std::uint32_t>(text.size())};
  buffer_.append(text);
  return s;
}

SipMessage SipMessage::make_request(std::string_view method, std::string_view request_uri) {
  SipMessage msg;
  msg.is_request_ = true;
  msg.method_ = msg.append(method);
  msg.method_id_ = method_from_name(method);
  msg.request_uri_ = msg.append(request_uri);
  return msg;
}

SipMessage SipMessage::make_response(int status_code, std::string_view reason_phrase) {
  SipMessage msg;
  msg.is_request_ = false;
  msg.status_code_ = status_code;
  msg.reason_ = msg.append(reason_phrase);
  return msg;
}

void SipMessage::add_header(HeaderId id, std::string_view value) {
  const Span name = append(canonical_name(id));
  headers_.push_back({id, name, append(value)});
}

void SipMessage::add_header(std::string_view name, std::string_view value) {
  const Span name_span = append(name);
  headers_.push_back({header_id(name), name_span, append(value)});
}

void SipMessage::prepend_header(HeaderId id, std::string_view value) {
  const Span name = append(canonical_name(id));
  headers_.insert(headers_.begin(), {id, name, append(value)});
}

std::size_t SipMessage::remove_headers(HeaderId id) {
  return std::erase_if(headers_, [id](const StoredHeader& h) { return h.id == id; });
}

void SipMessage::set_header(HeaderId id, std::string_view value) {
  remove_headers(id);
  add_header(id, value);
}

void SipMessage::set_request_uri(std::string_view uri) {
  request_uri_ = append(uri);
}

void SipMessage::set_body(std::string_view content_type, std::string_view body) {
  remove_headers(HeaderId::kContentType);
  if (!body.empty()) add_header(HeaderId::kContentType, content_type);
  body_ = append(body);
}

// --- serialization ---

std::string SipMessage::serialize() const {
  std::string out;
  serialize_to(out);
  return out;
}

void SipMessage::serialize_to(std::string& out) const {
  out.reserve(out.size() + buffer_.size() + 32);
  if (is_request_) {
    out.append(method_text()).append(" ").append(request_uri_text()).append(" SIP/2.0\r\n");
  } else {
    out.append("SIP/2.0 ").append(std::to_string(status_code_)).append(" ");
    out.append(reason_phrase()).append("\r\n");
  }
  for (const StoredHeader& h : headers_) {
    if (h.id == HeaderId::kContentLength) continue;  // rewritten below from the actual body
    out.append(view(h.name)).append(": ").append(view(h.value)).append("\r\n");
  }
  out.append("Content-Length: ").append(std::to_string(body_.length)).append("\r\n\r\n");
  out.append(body());
}

}  // namespace trunkgate::sip
