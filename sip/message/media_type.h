// Content-Type / media-type (RFC 3261 20.15): type "/" subtype *(; param), e.g.
// "multipart/alternative;boundary=...", "application/sdp", "application/gw-sdp;x-bypassid=...".
#pragma once

#include <string_view>

#include "sip/message/limits.h"
#include "sip/message/params.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

struct MediaType {
  std::string_view type;
  std::string_view subtype;
  Params params;

  bool is(std::string_view t, std::string_view s) const;  // case-insensitive
  bool is_sdp() const { return is("application", "sdp"); }
  bool is_multipart() const;
  // Multipart boundary with quotes removed (boundary chars never include '"' or '\').
  std::string_view boundary() const;
};

Result<MediaType> parse_media_type(std::string_view value,
                                   const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
