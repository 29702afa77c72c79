// multipart/mixed and multipart/alternative bodies (RFC 2046 5.1), e.g. the Microsoft bypass offer
// with application/sdp and application/gw-sdp parts (MS-OCPSTN, DIGEST-002 section 2).
#pragma once

#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/media_type.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

struct BodyPartHeader {
  std::string_view name;
  std::string_view value;
};

struct BodyPart {
  std::vector<BodyPartHeader> headers;
  std::string_view body;
  // Content-Type of the part (RFC 2046: text/plain when absent).
  std::string_view content_type() const;
  std::string_view header(std::string_view name) const;  // case-insensitive, "" if absent
};

Result<std::vector<BodyPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
