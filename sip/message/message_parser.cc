// SipMessage::parse: framing, start line, header split with in-place unfolding, and validation of
// the headers every layer above relies on.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "sip/message/message.h"
#include "sip/message/text.h"

namespace trunkgate::sip {

class MessageParser {
 public:
  MessageParser(SipMessage& msg, const ParseLimits& limits) : msg_(msg), limits_(limits) {}

  Result<bool> run() {
    const std::string& buf = msg_.buffer_;
    if (buf.size() > limits_.max_message_size) return fail(ParseError::kMessageTooLarge);
    std::size_t start = 0;
    // RFC 3261 7.5: ignore CRLFs before the start line (keep-alives, stray line ends).
    while (start + 1 < buf.size() && buf[start] == '\r' && buf[start + 1] == '\n') start += 2;
    if (start >= buf.size()) return fail(ParseError::kEmpty);
    auto line_end = scan_line(start);
    if (!line_end) return line_end.failure();
    if (auto r = parse_start_line(start, *line_end); !r) return r;
    auto body_from = split_headers(*line_end + 2);
    if (!body_from) return body_from.failure();
    if (auto r = validate(); !r) return r;
    return frame_body(*body_from);
  }

 private:
  using Span = SipMessage::Span;

  Span span(std::size_t from, std::size_t to) const {
    return Span{static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to - from)};
  }

  // Position of the CRLF ending the line that starts at `from`, checking the line on the way: it
  // may hold HTAB but no other control byte, except as a quoted-pair ("\\<NUL>", RFC 4475
  // intmeth). Eight bytes at a time: most words have no byte below 0x20 at all, and the first one
  // that does is usually the CR ending the line. The lowest flagged byte of a word is exactly the
  // first one below 0x20 (the subtraction's borrows only spill upwards), so the byte loop starts
  // right at it instead of re-reading the word.
  Result<std::size_t> scan_line(std::size_t from) const {
    static_assert(std::endian::native == std::endian::little);  // first match = lowest byte
    const std::string& buf = msg_.buffer_;
    const char* p = buf.data();
    std::size_t i = from;
    while (i + 8 <= buf.size()) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      const std::uint64_t low = (word - 0x2020202020202020ULL) & ~word & 0x8080808080808080ULL;
      if (low != 0) {
        i += static_cast<std::size_t>(std::countr_zero(low) / 8);
        break;
      }
      i += 8;
    }
    for (; i < buf.size(); ++i) {
      const auto c = static_cast<unsigned char>(p[i]);
      if (c >= 0x20 || c == '\t') continue;
      // CR and LF always end or break the line, even after a backslash (a Call-ID may end in one).
      if (c == '\r' && i + 1 < buf.size() && p[i + 1] == '\n') return i;
      if (c == '\r' && i + 1 == buf.size()) break;  // the LF has not arrived
      if (c == '\n') return fail(ParseError::kBareLineFeed);
      if (c == '\r' || i == from || p[i - 1] != '\\') return fail(ParseError::kControlCharacter);
    }
    return fail(ParseError::kNoHeaderEnd);
  }

  Result<bool> parse_start_line(std::size_t from, std::size_t to) {
    const std::string_view line = std::string_view(msg_.buffer_).substr(from, to - from);
    if (line.size() >= 4 && iequals(line.substr(0, 4), "SIP/"))
      return parse_status_line(from, line);
    return parse_request_line(from, line);
  }

  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
  Result<bool> parse_status_line(std::size_t from, std::string_view line) {
    const std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return fail(ParseError::kBadStartLine, line);
    if (!iequals(line.substr(0, sp), "SIP/2.0"))
      return fail(ParseError::kBadVersion, line.substr(0, sp));
    std::size_t code_end = line.find(' ', sp + 1);
    if (code_end == std::string_view::npos) code_end = line.size();
    const std::string_view code_text = line.substr(sp + 1, code_end - sp - 1);
    const auto code = parse_decimal(code_text, 699);
    if (code_text.size() != 3 || !code || *code < 100)
      return fail(ParseError::kBadStatusCode, code_text);
    msg_.is_request_ = false;
    msg_.status_code_ = static_cast<int>(*code);
    const std::size_t reason_from = std::min(code_end + 1, line.size());
    msg_.reason_ = span(from + reason_from, from + line.size());
    return true;
  }

  // Request-Line = Method SP Request-URI SP SIP-Version: exactly two single spaces.
  Result<bool> parse_request_line(std::size_t from, std::string_view line) {
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp1 == sp2) return fail(ParseError::kBadStartLine, line);
    const std::string_view method = line.substr(0, sp1);
    const std::string_view uri_text = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);
    if (uri_text.empty() || uri_text.front() == ' ' || uri_text.back() == ' ' || version.empty()) {
      return fail(ParseError::kBadStartLine, line);  // RFC 4475 lwsstart, trws
    }
    if (!is_token(method)) return fail(ParseError::kBadMethod, method);
    if (!iequals(version, "SIP/2.0")) return fail(ParseError::kBadVersion, version);
    if (uri_text.find(' ') != std::string_view::npos)
      return fail(ParseError::kBadRequestUri, uri_text);
    const auto uri = parse_uri(uri_text, limits_);
    // RFC 3261 19.1.1: headers are not allowed in a Request-URI (RFC 4475 escruri).
    if (!uri || !uri->headers.empty()) return fail(ParseError::kBadRequestUri, uri_text);
    msg_.is_request_ = true;
    msg_.method_ = span(from, from + sp1);
    msg_.method_id_ = method_from_name(method);
    msg_.request_uri_ = span(from + sp1 + 1, from + sp2);
    return true;
  }

  // One header field per line up to the empty line; returns where the body starts. Continuation
  // lines (starting with SP/HTAB) are unfolded in place by turning the CRLF before them into two
  // spaces.
  Result<std::size_t> split_headers(std::size_t pos) {
    std::string& buf = msg_.buffer_;
    while (true) {
      auto end = scan_line(pos);
      if (!end) return end.failure();
      if (*end == pos) return pos + 2;  // the empty line
      while (*end + 2 < buf.size() && (buf[*end + 2] == ' ' || buf[*end + 2] == '\t')) {
        buf[*end] = ' ';
        buf[*end + 1] = ' ';
        end = scan_line(*end + 2);
        if (!end) return end.failure();
      }
      if (*end - pos > limits_.max_header_length) return fail(ParseError::kHeaderTooLong);
      if (auto r = add_field(pos, *end); !r) return r.failure();
      pos = *end + 2;
    }
  }

  Result<bool> add_field(std::size_t from, std::size_t to) {
    const std::string_view line = std::string_view(msg_.buffer_).substr(from, to - from);
    const std::size_t colon = find_colon(line);
    if (colon == std::string_view::npos)
      return fail(ParseError::kBadHeaderName, line.substr(0, 32));
    std::size_t name_end = colon;
    while (name_end > 0 && is_lws(line[name_end - 1])) --name_end;  // "TO :" (RFC 4475 wsinv)
    const std::string_view name = line.substr(0, name_end);
    // A name header_id knows is made of letters and '-' (its comparison is exact), so only
    // unknown names need the byte-by-byte token check.
    const HeaderId id = header_id(name);
    if (id == HeaderId::kOther && !is_token(name))
      return fail(ParseError::kBadHeaderName, name.substr(0, 32));
    if (msg_.headers_.size() == limits_.max_headers) return fail(ParseError::kTooManyHeaders);
    std::size_t value_from = colon + 1;
    std::size_t value_to = line.size();
    while (value_from < value_to && is_lws(line[value_from])) ++value_from;
    while (value_to > value_from && is_lws(line[value_to - 1])) --value_to;
    msg_.headers_.push_back(
        {id, span(from, from + name_end), span(from + value_from, from + value_to)});
    return true;
  }

  // The first ':' of a header line, eight bytes at a time: an inline scan instead of a memchr call
  // per header (names are short, so the call's setup dominated).
  static std::size_t find_colon(std::string_view line) {
    static_assert(std::endian::native == std::endian::little);  // first match = lowest byte
    std::size_t i = 0;
    for (; i + 8 <= line.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, line.data() + i, 8);
      const std::uint64_t x = word ^ 0x3a3a3a3a3a3a3a3aULL;  // ':' bytes become zero
      const std::uint64_t zero = (x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL;
      if (zero != 0) return i + static_cast<std::size_t>(std::countr_zero(zero) / 8);
    }
    for (; i < line.size(); ++i) {
      if (line[i] == ':') return i;
    }
    return std::string_view::npos;
  }

  Result<bool> frame_body(std::size_t body_from) {
    const std::size_t available = msg_.buffer_.size() - body_from;
    std::size_t length = available;
    if (const auto declared = msg_.find(HeaderId::kContentLength)) {
      const auto value = parse_decimal(*declared, limits_.max_message_size);
      if (!value || *value > available) return fail(ParseError::kBadContentLength, *declared);
      length = static_cast<std::size_t>(*value);  // datagram: bytes past the body are ignored
    }
    if (length > limits_.max_body_size) return fail(ParseError::kBodyTooLarge);
    msg_.body_ = span(body_from, body_from + length);
    return true;
  }

  Result<bool> validate() const {
    std::array<std::uint8_t, static_cast<std::size_t>(HeaderId::kCount)> seen{};
    for (const auto& h : msg_.headers_) {
      auto& n = seen[static_cast<std::size_t>(h.id)];
      n = static_cast<std::uint8_t>(n < 2 ? n + 1 : 2);
    }
    const auto count = [&seen](HeaderId id) { return seen[static_cast<std::size_t>(id)]; };
    for (HeaderId id : {HeaderId::kFrom, HeaderId::kTo, HeaderId::kCallId, HeaderId::kCSeq,
                        HeaderId::kMaxForwards, HeaderId::kContentLength, HeaderId::kContentType}) {
      if (count(id) > 1) return fail(ParseError::kDuplicateHeader, canonical_name(id));
    }
    for (HeaderId id :
         {HeaderId::kFrom, HeaderId::kTo, HeaderId::kCallId, HeaderId::kCSeq, HeaderId::kVia}) {
      if (count(id) == 0) return fail(ParseError::kMissingHeader, canonical_name(id));
    }
    // CSeq first: RFC 4475 scalar02 names it as the reason when several scalars are bad.
    const auto cseq = msg_.cseq();
    if (!cseq) return cseq.failure();
    if (msg_.is_request() && cseq->method != msg_.method_text()) {
      return fail(ParseError::kCSeqMethodMismatch, cseq->method);
    }
    for (std::size_t i = 0; i < msg_.header_count(); ++i) {
      if (auto r = validate_field(msg_.header(i)); !r) return r;
    }
    return true;
  }

  // Syntax checks for the headers transactions and routing depend on, plus the scalar fields
  // RFC 4475 expects a parser to police. Others are checked when their typed accessor is used.
  Result<bool> validate_field(const HeaderField& h) const {
    switch (h.id) {
      case HeaderId::kVia:
        return each(h, [this](std::string_view e) { return parse_via(e, limits_); });
      case HeaderId::kFrom:
      case HeaderId::kTo:
        return check(parse_name_addr(h.value, limits_), h.name);
      case HeaderId::kContact:
      case HeaderId::kRoute:
      case HeaderId::kRecordRoute:
        return each(h, [this](std::string_view e) { return parse_name_addr(e, limits_); });
      case HeaderId::kCallId:
        if (h.value.empty() || find_any(h.value, " \t") != std::string_view::npos) {
          return fail(ParseError::kBadHeaderValue, h.name);
        }
        return true;
      case HeaderId::kMaxForwards: {
        const auto hops = parse_uint32(h.value);
        if (!hops || *hops > 255) return fail(ParseError::kBadNumber, h.name);
        return true;
      }
      case HeaderId::kContentType:
        return check(parse_media_type(h.value, limits_), h.name);
      case HeaderId::kRetryAfter:
        return check(parse_retry_after(h.value, limits_), h.name);
      case HeaderId::kWarning:
        return validate_warning(h);
      case HeaderId::kDate:
        // RFC 3261 20.17: the time zone must be GMT (RFC 4475 baddate).
        if (!h.value.ends_with(" GMT")) return fail(ParseError::kBadHeaderValue, h.name);
        return true;
      default:
        return true;
    }
  }

  // warning-value = 3DIGIT SP warn-agent SP warn-text (RFC 4475 scalarlg has a 4-digit code).
  Result<bool> validate_warning(const HeaderField& h) const {
    return each(h, [](std::string_view w) -> Result<bool> {
      if (w.size() < 4 || w[3] != ' ' || !parse_decimal(w.substr(0, 3), 999)) {
        return fail(ParseError::kBadHeaderValue);
      }
      return true;
    });
  }

  // Checks every comma-separated element of a list header with `parse_one`, without allocating.
  template <class ParseOne>
  Result<bool> each(const HeaderField& h, ParseOne&& parse_one) const {
    // One value (no comma at all) is the usual case; the element parsers check quotes and
    // brackets themselves, so the splitter's scan is only needed for real lists.
    if (h.value.find(',') == std::string_view::npos) return check(parse_one(h.value), h.name);
    ListSplitter splitter(h.value, limits_);
    std::string_view element;
    while (splitter.next(element)) {
      if (auto r = check(parse_one(element), h.name); !r) return r;
    }
    if (splitter.error() != ParseError::kNone) return fail(splitter.error(), h.name);
    return true;
  }

  // Keeps the inner reason code but names the header, which is what a 400 reason phrase needs.
  template <class T>
  static Result<bool> check(const Result<T>& r, std::string_view header) {
    if (r) return true;
    return fail(r.error(), header);
  }

  SipMessage& msg_;
  const ParseLimits& limits_;
};

Result<SipMessage> SipMessage::parse(std::string&& bytes, const ParseLimits& limits) {
  SipMessage msg;
  msg.buffer_ = std::move(bytes);
  msg.headers_.reserve(32);
  MessageParser parser(msg, limits);
  if (auto r = parser.run(); !r) return r.failure();
  return msg;
}

Result<SipMessage> SipMessage::parse(std::string_view bytes, const ParseLimits& limits) {
  if (bytes.size() > limits.max_message_size) return fail(ParseError::kMessageTooLarge);
  return parse(std::string(bytes), limits);
}

}  // namespace trunkgate::sip
