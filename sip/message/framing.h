// Stream framing for TCP/TLS (RFC 3261 18.3): where the next message ends in a receive buffer.
#pragma once

#include <cstddef>
#include <string_view>

#include "sip/message/limits.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

struct StreamFrame {
  std::size_t leading_crlf = 0;  // RFC 5626 keep-alive CRLFs before the message, to be skipped
  std::size_t size = 0;          // bytes of the message after those CRLFs; 0 if incomplete
  bool complete() const { return size != 0; }
};

// Looks for the end of the header section and reads Content-Length (mandatory on streams).
// Incomplete input returns a frame with size 0 and no error; the error cases (no Content-Length,
// a bad one, headers or body over the limits) mean the connection must be closed.
Result<StreamFrame> frame_stream_message(std::string_view buffer,
                                         const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
