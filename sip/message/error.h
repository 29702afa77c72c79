// Why a SIP message (or a part of it) was rejected. Every rejection on the parse path carries one
// of these codes plus the name of the element that failed, so a server can answer "400 Bad Request"
// with a precise reason phrase and Warning header instead of silently dropping the message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trunkgate::sip {

enum class ParseError : std::uint8_t {
  kNone = 0,
  // Framing and bounds (the safety limits of ParseLimits).
  kEmpty,             // no bytes, or only CRLF keep-alives
  kMessageTooLarge,   // over ParseLimits::max_message_size
  kTooManyHeaders,    // over ParseLimits::max_headers
  kHeaderTooLong,     // a (folded) header line over ParseLimits::max_header_length
  kTooManyParams,     // a URI or header over ParseLimits::max_params
  kTooManyValues,     // a comma list over ParseLimits::max_list_values
  kNoHeaderEnd,       // no empty line terminating the header section
  kBareLineFeed,      // an LF not preceded by CR in the header section
  kControlCharacter,  // NUL or another control byte where the grammar forbids it
  // Start line.
  kBadStartLine,     // neither Request-Line nor Status-Line
  kBadMethod,        // method is not a token
  kBadRequestUri,    // Request-URI does not parse
  kBadVersion,       // not SIP/2.0
  kBadStatusCode,    // status code not three digits 100..699
  kBadReasonPhrase,  // reason phrase with forbidden bytes
  // Header syntax.
  kBadHeaderName,      // header name is not a token or is missing the colon
  kBadHeaderValue,     // generic value syntax error in the named header
  kUnterminatedQuote,  // a quoted string without closing quote
  kUnbalancedAngle,    // '<' without '>' (or the reverse)
  kBadUri,             // URI syntax in a header
  kBadHost,            // host / IPv6 reference syntax
  kBadPort,            // port not 0..65535
  kBadParam,           // generic ;name=value syntax
  kBadEscape,          // '%' not followed by two hex digits
  kBadNumber,          // a numeric field is not a number or out of range
  // Message semantics this layer enforces.
  kMissingHeader,       // a mandatory header (Via, From, To, Call-ID, CSeq) is absent
  kDuplicateHeader,     // a single-instance header (From, To, Call-ID, CSeq, ...) repeated
  kCSeqMethodMismatch,  // CSeq method differs from the request method
  kBadContentLength,    // Content-Length not a number, or larger than the body received
  kBodyTooLarge,        // body over ParseLimits::max_body_size
  // Bodies.
  kBadContentType,   // Content-Type syntax
  kBadMultipart,     // multipart body framing (boundary missing, no closing delimiter)
  kBadSdp,           // SDP syntax
  kTooManySdpLines,  // over ParseLimits::max_sdp_lines
  kTooManyMedia,     // over ParseLimits::max_sdp_media
};

// A rejection: the code plus what it applies to (a header name, "Request-URI", "m=" ...). The
// element is a copy (at most kMaxElementLength bytes of the input), so a failure outlives the
// rejected buffer.
struct ParseFailure {
  static constexpr std::size_t kMaxElementLength = 64;
  ParseFailure() = default;
  ParseFailure(ParseError c, std::string_view e)
      : code(c), element(e.substr(0, kMaxElementLength)) {}

  ParseError code = ParseError::kNone;
  std::string element;
};

// A short English description of the code, e.g. "missing mandatory header".
std::string_view describe(ParseError code);

// "Bad Request (Malformed Via)": the reason phrase a server puts in its 400 response.
std::string bad_request_reason_phrase(const ParseFailure& failure);

// The value of a Warning header (RFC 3261 20.43, code 399 "miscellaneous") carrying the precise
// reason, e.g. `399 gw.example.com "malformed header value: Via"`.
std::string bad_request_warning(const ParseFailure& failure, std::string_view agent_host);

// Human string for logs and the sipcheck tool: "<describe(code)>: <element>" or just describe().
std::string to_string(const ParseFailure& failure);

}  // namespace trunkgate::sip
