#include "sip/sdp/message_sdp.h"

#include "sip/message/multipart.h"

namespace trunkgate::sip::sdp {

bool is_sdp_type(const MediaType& type) {
  return type.is("application", "sdp") || type.is("application", "gw-sdp");
}

namespace {

Result<bool> add_if_sdp(std::string_view content_type, std::string_view content_id,
                        std::string_view body, const ParseLimits& limits,
                        std::vector<SdpPart>& out) {
  const auto type = parse_media_type(content_type, limits);
  if (!type) return fail(ParseError::kBadContentType, content_type);
  if (!is_sdp_type(*type)) return true;
  auto sdp = parse_sdp(body, limits);
  if (!sdp) return sdp.failure();
  out.push_back(SdpPart{content_type, content_id, std::move(sdp).value()});
  return true;
}

}  // namespace

Result<std::vector<SdpPart>> sdp_parts(const SipMessage& msg, const ParseLimits& limits) {
  std::vector<SdpPart> out;
  const auto content_type = msg.find(HeaderId::kContentType);
  if (!content_type || msg.body().empty()) return out;
  const auto type = msg.content_type(limits);
  if (!type) return type.failure();
  if (!type->is_multipart()) {
    if (auto r = add_if_sdp(*content_type, {}, msg.body(), limits, out); !r) return r.failure();
    return out;
  }
  const auto parts = parse_multipart(msg.body(), type->boundary(), limits);
  if (!parts) return parts.failure();
  for (const BodyPart& part : *parts) {
    auto r = add_if_sdp(part.content_type(), part.header("Content-ID"), part.body, limits, out);
    if (!r) return r.failure();
  }
  return out;
}

}  // namespace trunkgate::sip::sdp
