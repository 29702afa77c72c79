// The SDP carried by a SIP message: the body itself (application/sdp) or each SDP part of a
// multipart/mixed or multipart/alternative body (application/sdp and Microsoft's
// application/gw-sdp, MS-OCPSTN bypass offers). Bodies of other types carry no SDP and yield an
// empty list.
#pragma once

#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/message.h"
#include "sip/message/result.h"
#include "sip/sdp/session_description.h"

namespace trunkgate::sip::sdp {

struct SdpPart {
  std::string_view content_type;  // full value, e.g. "application/gw-sdp; x-bypassid=..."
  std::string_view content_id;    // multipart Content-ID, empty otherwise
  SessionDescription sdp;
};

// True for application/sdp and application/gw-sdp.
bool is_sdp_type(const MediaType& type);

Result<std::vector<SdpPart>> sdp_parts(const SipMessage& msg,
                                       const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip::sdp
