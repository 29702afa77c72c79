// libFuzzer target: SipMessage::parse on arbitrary bytes, then every typed accessor, the SDP and
// multipart bodies, serialization and stream framing. Any crash, sanitizer report or leak fails.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message/framing.h"
#include "sip/message/message.h"
#include "sip/sdp/message_sdp.h"

namespace {

using trunkgate::sip::HeaderId;
using trunkgate::sip::SipMessage;

void exercise_typed_headers(const SipMessage& msg) {
  (void)msg.request_uri();
  (void)msg.vias();
  (void)msg.from();
  (void)msg.to();
  (void)msg.cseq();
  (void)msg.max_forwards();
  (void)msg.content_type();
  (void)msg.session_expires();
  (void)msg.min_se();
  (void)msg.rseq();
  (void)msg.rack();
  (void)msg.retry_after();
  (void)msg.reasons();
  (void)msg.event();
  (void)msg.subscription_state();
  (void)msg.replaces();
  for (HeaderId id :
       {HeaderId::kContact, HeaderId::kRoute, HeaderId::kRecordRoute, HeaderId::kPAssertedIdentity,
        HeaderId::kPPreferredIdentity, HeaderId::kRemotePartyId, HeaderId::kDiversion,
        HeaderId::kHistoryInfo, HeaderId::kReferTo, HeaderId::kReferredBy, HeaderId::kCallInfo}) {
    (void)msg.name_addrs(id);
  }
  for (HeaderId id : {HeaderId::kSupported, HeaderId::kRequire, HeaderId::kUnsupported,
                      HeaderId::kAllow, HeaderId::kPrivacy}) {
    (void)msg.tokens(id);
  }
  for (HeaderId id : {HeaderId::kWwwAuthenticate, HeaderId::kProxyAuthenticate,
                      HeaderId::kAuthorization, HeaderId::kProxyAuthorization}) {
    (void)msg.auth_headers(id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)trunkgate::sip::frame_stream_message(bytes);
  const auto msg = SipMessage::parse(bytes);
  if (!msg) return 0;
  exercise_typed_headers(*msg);
  (void)trunkgate::sip::sdp::sdp_parts(*msg);
  (void)SipMessage::parse(msg->serialize());
  return 0;
}
