#include "sip/message/error.h"

namespace trunkgate::sip {

std::string_view describe(ParseError code) {
  switch (code) {
    case ParseError::kNone:
      return "no error";
    case ParseError::kEmpty:
      return "empty message";
    case ParseError::kMessageTooLarge:
      return "message too large";
    case ParseError::kTooManyHeaders:
      return "too many header fields";
    case ParseError::kHeaderTooLong:
      return "header field too long";
    case ParseError::kTooManyParams:
      return "too many parameters";
    case ParseError::kTooManyValues:
      return "too many values in header";
    case ParseError::kNoHeaderEnd:
      return "header section not terminated by an empty line";
    case ParseError::kBareLineFeed:
      return "line feed without carriage return";
    case ParseError::kControlCharacter:
      return "forbidden control character";
    case ParseError::kBadStartLine:
      return "malformed start line";
    case ParseError::kBadMethod:
      return "malformed method";
    case ParseError::kBadRequestUri:
      return "malformed Request-URI";
    case ParseError::kBadVersion:
      return "unsupported SIP version";
    case ParseError::kBadStatusCode:
      return "malformed status code";
    case ParseError::kBadReasonPhrase:
      return "malformed reason phrase";
    case ParseError::kBadHeaderName:
      return "malformed header name";
    case ParseError::kBadHeaderValue:
      return "malformed header value";
    case ParseError::kUnterminatedQuote:
      return "unterminated quoted string";
    case ParseError::kUnbalancedAngle:
      return "unbalanced angle brackets";
    case ParseError::kBadUri:
      return "malformed URI";
    case ParseError::kBadHost:
      return "malformed host";
    case ParseError::kBadPort:
      return "malformed port";
    case ParseError::kBadParam:
      return "malformed parameter";
    case ParseError::kBadEscape:
      return "malformed escape sequence";
    case ParseError::kBadNumber:
      return "malformed number";
    case ParseError::kMissingHeader:
      return "missing mandatory header";
    case ParseError::kDuplicateHeader:
      return "conflicting duplicate header";
    case ParseError::kCSeqMethodMismatch:
      return "CSeq method does not match request method";
    case ParseError::kBadContentLength:
      return "bad Content-Length";
    case ParseError::kBodyTooLarge:
      return "body too large";
    case ParseError::kBadContentType:
      return "malformed Content-Type";
    case ParseError::kBadMultipart:
      return "malformed multipart body";
    case ParseError::kBadSdp:
      return "malformed SDP";
    case ParseError::kTooManySdpLines:
      return "too many SDP lines";
    case ParseError::kTooManyMedia:
      return "too many SDP media sections";
  }
  return "unknown error";
}

namespace {

// Reason phrases and Warning texts must not carry CR, LF or quotes from the hostile input.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') ? '?' : c;
  }
  return out;
}

}  // namespace

std::string to_string(const ParseFailure& failure) {
  std::string out(describe(failure.code));
  if (!failure.element.empty()) {
    out += ": ";
    out += printable(failure.element);
  }
  return out;
}

std::string bad_request_reason_phrase(const ParseFailure& failure) {
  return "Bad Request (" + to_string(failure) + ")";
}

std::string bad_request_warning(const ParseFailure& failure, std::string_view agent_host) {
  return "399 " + std::string(agent_host) + " \"" + to_string(failure) + "\"";
}

}  // namespace trunkgate::sip
