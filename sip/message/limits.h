// Bounds applied while parsing untrusted input. Every count and size the parser accumulates is
// checked against one of these, so a hostile peer can cost at most a bounded amount of CPU and
// memory per message. Defaults fit every message seen in the specs with a wide margin.
#pragma once

#include <cstddef>

namespace trunkgate::sip {

struct ParseLimits {
  std::size_t max_message_size = 64 * 1024;  // whole message, start line to end of body
  std::size_t max_body_size = 32 * 1024;
  std::size_t max_headers = 128;             // header fields (after folding)
  std::size_t max_header_length = 8 * 1024;  // one header field, folded lines included
  std::size_t max_params = 32;               // ;params of one URI or one header value
  std::size_t max_list_values = 64;          // comma-separated values in one header field
  std::size_t max_multipart_parts = 8;
  std::size_t max_sdp_lines = 512;
  std::size_t max_sdp_media = 16;
};

inline constexpr ParseLimits kDefaultLimits{};

}  // namespace trunkgate::sip
