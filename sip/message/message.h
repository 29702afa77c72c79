// SipMessage: one SIP request or response (RFC 3261 section 7).
//
// Storage: the message owns one byte buffer holding the received text; every header field is kept
// as offsets into it (name, value), so parsing copies nothing and copying/moving a message is
// always safe. Header folding (CRLF followed by SP/HTAB) is unfolded in place by overwriting the
// CRLF with spaces, which RFC 3261 7.3.1 defines as equivalent. Values added later are appended to
// the same buffer. Every std::string_view returned (headers, typed header parts, body) stays valid
// until the message is next modified or destroyed.
//
// Typed access parses a header on demand from that text; parse() already validated the headers
// every transaction needs (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length), so their
// accessors only fail on messages built by hand.
//
// Entry points for the other layers:
//   SipMessage::parse(bytes)             a datagram or a framed stream message
//   frame_stream_message(buffer)         (framing.h) where a message ends in a TCP/TLS stream
//   SipMessage::make_request/response    build; then add_header(), set_body(), serialize()
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message/auth_header.h"
#include "sip/message/header_id.h"
#include "sip/message/limits.h"
#include "sip/message/media_type.h"
#include "sip/message/method.h"
#include "sip/message/name_addr.h"
#include "sip/message/result.h"
#include "sip/message/scalar_headers.h"
#include "sip/message/uri.h"
#include "sip/message/via.h"

namespace trunkgate::sip {

struct HeaderField {
  HeaderId id = HeaderId::kOther;
  std::string_view name;   // as received (or canonical_name() for headers added by id)
  std::string_view value;  // LWS-trimmed, folding reduced to spaces
};

class SipMessage {
 public:
  // Parses one complete message. Framing rule (RFC 3261 18.3): with Content-Length, the body is
  // that many bytes and extra trailing bytes are ignored (datagram); a body shorter than
  // Content-Length is rejected. Without Content-Length the body is the rest of the input.
  static Result<SipMessage> parse(std::string_view bytes,
                                  const ParseLimits& limits = kDefaultLimits);
  static Result<SipMessage> parse(std::string&& bytes, const ParseLimits& limits = kDefaultLimits);
  static Result<SipMessage> parse(const char* bytes, const ParseLimits& limits = kDefaultLimits) {
    return parse(std::string_view(bytes), limits);
  }

  // Builders for the transaction/dialog layers. The start line is fixed; add headers afterwards.
  static SipMessage make_request(std::string_view method, std::string_view request_uri);
  static SipMessage make_response(int status_code, std::string_view reason_phrase);

  // --- start line ---
  bool is_request() const { return is_request_; }
  bool is_response() const { return !is_request_; }
  std::string_view method_text() const { return view(method_); }  // request only
  Method method() const { return method_id_; }
  std::string_view request_uri_text() const { return view(request_uri_); }
  Result<Uri> request_uri(const ParseLimits& limits = kDefaultLimits) const;
  int status_code() const { return status_code_; }  // response only
  std::string_view reason_phrase() const { return view(reason_); }

  // --- raw header access (order preserved, repeated headers kept as separate fields) ---
  std::size_t header_count() const { return headers_.size(); }
  HeaderField header(std::size_t index) const;
  // First field with this id / name (case-insensitive, compact forms resolved); nullopt if absent.
  std::optional<std::string_view> find(HeaderId id) const;
  std::optional<std::string_view> find(std::string_view name) const;
  // Every field value with this id, in order, not split on commas.
  std::vector<std::string_view> fields(HeaderId id) const;
  // Every comma-separated element of every field with this id, in order.
  Result<std::vector<std::string_view>> list(HeaderId id,
                                             const ParseLimits& limits = kDefaultLimits) const;

  // --- modification (invalidates previously returned views) ---
  void add_header(HeaderId id, std::string_view value);  // appended after the others
  void add_header(std::string_view name, std::string_view value);
  void prepend_header(HeaderId id, std::string_view value);  // before all others (Via)
  std::size_t remove_headers(HeaderId id);                   // returns how many were removed
  void set_header(HeaderId id, std::string_view value);      // remove all, then add one
  void set_request_uri(std::string_view uri);
  // Sets the body and its Content-Type; Content-Length is always written by serialize().
  void set_body(std::string_view content_type, std::string_view body);

  std::string_view body() const { return view(body_); }

  // Start line, headers in order (names as stored), Content-Length computed from the body, CRLF,
  // body. Folded headers come out on one line.
  std::string serialize() const;
  void serialize_to(std::string& out) const;

  // --- typed access (parsed on demand) ---
  std::string_view call_id() const { return find(HeaderId::kCallId).value_or(std::string_view{}); }
  Result<CSeq> cseq() const;
  Result<Via> top_via(const ParseLimits& limits = kDefaultLimits) const;
  Result<std::vector<Via>> vias(const ParseLimits& limits = kDefaultLimits) const;
  Result<NameAddr> from(const ParseLimits& limits = kDefaultLimits) const;
  Result<NameAddr> to(const ParseLimits& limits = kDefaultLimits) const;
  Result<std::uint32_t> max_forwards() const;
  std::optional<std::size_t> content_length() const;  // as declared; nullopt if absent
  Result<MediaType> content_type(const ParseLimits& limits = kDefaultLimits) const;
  // Contact, Route, Record-Route, P-Asserted-Identity, P-Preferred-Identity, Remote-Party-ID,
  // Diversion, History-Info, Refer-To, Referred-By, Call-Info: all elements of all fields.
  Result<std::vector<NameAddr>> name_addrs(HeaderId id,
                                           const ParseLimits& limits = kDefaultLimits) const;
  Result<std::vector<NameAddr>> contacts(const ParseLimits& limits = kDefaultLimits) const {
    return name_addrs(HeaderId::kContact, limits);
  }
  // Supported, Require, Unsupported, Proxy-Require, Allow, Allow-Events, Privacy.
  Result<std::vector<std::string_view>> tokens(HeaderId id,
                                               const ParseLimits& limits = kDefaultLimits) const;
  bool has_option_tag(HeaderId id, std::string_view tag) const;  // e.g. Require: 100rel
  Result<SessionExpires> session_expires() const;
  Result<std::uint32_t> min_se() const;
  Result<std::uint32_t> rseq() const;
  Result<RAck> rack() const;
  Result<RetryAfter> retry_after() const;
  Result<std::vector<TokenWithParams>> reasons() const;  // every Reason element
  Result<TokenWithParams> event() const;
  Result<TokenWithParams> subscription_state() const;
  Result<Replaces> replaces() const;
  // WWW-Authenticate, Proxy-Authenticate, Authorization, Proxy-Authorization: one entry per field.
  Result<std::vector<AuthHeader>> auth_headers(HeaderId id,
                                               const ParseLimits& limits = kDefaultLimits) const;

 private:
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  struct StoredHeader {
    HeaderId id;
    Span name;
    Span value;
  };
  friend class MessageParser;

  // Every Span is made by the parser or append() from bytes inside buffer_, so no range check
  // (substr's check and throw path sat on every header access of the parse).
  std::string_view view(Span s) const {
    return std::string_view(buffer_.data() + s.offset, s.length);
  }
  Span append(std::string_view text);
  // Typed parse of the first field with this id, or kMissingHeader.
  template <class T, class F>
  Result<T> parse_first(HeaderId id, F&& parser) const;

  std::string buffer_;
  bool is_request_ = true;
  Method method_id_ = Method::kOther;
  Span method_;
  Span request_uri_;
  int status_code_ = 0;
  Span reason_;
  std::vector<StoredHeader> headers_;
  Span body_;
};

}  // namespace trunkgate::sip
