#include "sip/message/framing.h"

#include "sip/message/header_id.h"
#include "sip/message/text.h"

namespace trunkgate::sip {

namespace {

// Content-Length value from the header section, which ends with its final CRLF (not CRLFCRLF).
// Folded Content-Length values do not occur in practice and are rejected as malformed.
Result<std::size_t> declared_length(std::string_view headers, const ParseLimits& limits) {
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t end = headers.find("\r\n", pos);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(pos, end - pos);
    pos = end + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (header_id(trim_lws(line.substr(0, colon))) != HeaderId::kContentLength) continue;
    const auto value = parse_decimal(trim_lws(line.substr(colon + 1)), limits.max_body_size);
    if (!value) return fail(ParseError::kBadContentLength, "Content-Length");
    return static_cast<std::size_t>(*value);
  }
  return fail(ParseError::kMissingHeader, "Content-Length");
}

}  // namespace

Result<StreamFrame> frame_stream_message(std::string_view buffer, const ParseLimits& limits) {
  StreamFrame frame;
  while (frame.leading_crlf + 1 < buffer.size() && buffer[frame.leading_crlf] == '\r' &&
         buffer[frame.leading_crlf + 1] == '\n') {
    frame.leading_crlf += 2;
  }
  const std::string_view message = buffer.substr(frame.leading_crlf);
  const std::size_t header_end = message.find("\r\n\r\n");
  if (header_end == std::string_view::npos) {
    if (message.size() > limits.max_message_size) return fail(ParseError::kMessageTooLarge);
    return frame;  // incomplete
  }
  auto length = declared_length(message.substr(0, header_end + 2), limits);
  if (!length) return length.failure();
  const std::size_t total = header_end + 4 + *length;
  if (total > limits.max_message_size) return fail(ParseError::kMessageTooLarge);
  if (message.size() >= total) frame.size = total;
  return frame;
}

}  // namespace trunkgate::sip
