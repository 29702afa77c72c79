// Header names known to the message layer. Names are matched case-insensitively and compact forms
// (RFC 3261 7.3.3 and later RFCs: f t i v m k x c l s e o u r b y a ...) map to the same id, so
// code above this layer never compares header names itself. Unknown headers get HeaderId::kOther
// and are kept verbatim with the name as received.
#pragma once

#include <cstdint>
#include <string_view>

namespace trunkgate::sip {

enum class HeaderId : std::uint8_t {
  kOther = 0,
  kVia,
  kFrom,
  kTo,
  kCallId,
  kCSeq,
  kMaxForwards,
  kContact,
  kRoute,
  kRecordRoute,
  kContentType,
  kContentLength,
  kContentDisposition,
  kContentEncoding,
  kContentId,
  kSupported,
  kRequire,
  kProxyRequire,
  kUnsupported,
  kAllow,
  kAllowEvents,
  kSessionExpires,
  kMinSE,
  kRSeq,
  kRAck,
  kRemotePartyId,
  kPAssertedIdentity,
  kPPreferredIdentity,
  kPrivacy,
  kDiversion,
  kHistoryInfo,
  kReason,
  kRetryAfter,
  kWwwAuthenticate,
  kProxyAuthenticate,
  kAuthorization,
  kProxyAuthorization,
  kReferTo,
  kReferredBy,
  kReplaces,
  kEvent,
  kSubscriptionState,
  kCallInfo,
  kSubject,
  kExpires,
  kMinExpires,
  kUserAgent,
  kServer,
  kAccept,
  kAcceptContact,
  kRejectContact,
  kRequestDisposition,
  kIdentity,
  kIdentityInfo,
  kWarning,
  kDate,
  kTimestamp,
  kPEarlyMedia,
  kCount,  // number of ids, not a header
};

// Id for a header name as received (any case, full or compact form); kOther if unknown.
HeaderId header_id(std::string_view name);

// The canonical full name ("Call-ID", "CSeq", "WWW-Authenticate"); empty for kOther.
std::string_view canonical_name(HeaderId id);

// Headers that must not be split on commas: their values contain commas by grammar (dates, auth
// challenges) or are free text.
bool is_single_value_header(HeaderId id);

}  // namespace trunkgate::sip
