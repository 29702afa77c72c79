#include "sip/message/header_id.h"

#include <array>
#include <utility>

#include "sip/message/text.h"

namespace trunkgate::sip {

namespace {

struct NameEntry {
  HeaderId id;
  std::string_view name;
};

// Canonical names, indexed by HeaderId.
constexpr std::array<std::string_view, static_cast<std::size_t>(HeaderId::kCount)> kNames = {
    "",
    "Via",
    "From",
    "To",
    "Call-ID",
    "CSeq",
    "Max-Forwards",
    "Contact",
    "Route",
    "Record-Route",
    "Content-Type",
    "Content-Length",
    "Content-Disposition",
    "Content-Encoding",
    "Content-ID",
    "Supported",
    "Require",
    "Proxy-Require",
    "Unsupported",
    "Allow",
    "Allow-Events",
    "Session-Expires",
    "Min-SE",
    "RSeq",
    "RAck",
    "Remote-Party-ID",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Privacy",
    "Diversion",
    "History-Info",
    "Reason",
    "Retry-After",
    "WWW-Authenticate",
    "Proxy-Authenticate",
    "Authorization",
    "Proxy-Authorization",
    "Refer-To",
    "Referred-By",
    "Replaces",
    "Event",
    "Subscription-State",
    "Call-Info",
    "Subject",
    "Expires",
    "Min-Expires",
    "User-Agent",
    "Server",
    "Accept",
    "Accept-Contact",
    "Reject-Contact",
    "Request-Disposition",
    "Identity",
    "Identity-Info",
    "Warning",
    "Date",
    "Timestamp",
    "P-Early-Media",
};

// Compact forms: RFC 3261 7.3.3 (c e f i k l m s t v), RFC 3265 (o u), RFC 3515 (r),
// RFC 3892 (b), RFC 4028 (x), RFC 3841 (a j d), RFC 4474 (y n).
constexpr std::array<NameEntry, 20> kCompact = {{
    {HeaderId::kAcceptContact, "a"},   {HeaderId::kReferredBy, "b"},
    {HeaderId::kContentType, "c"},     {HeaderId::kRequestDisposition, "d"},
    {HeaderId::kContentEncoding, "e"}, {HeaderId::kFrom, "f"},
    {HeaderId::kCallId, "i"},          {HeaderId::kRejectContact, "j"},
    {HeaderId::kSupported, "k"},       {HeaderId::kContentLength, "l"},
    {HeaderId::kContact, "m"},         {HeaderId::kIdentityInfo, "n"},
    {HeaderId::kEvent, "o"},           {HeaderId::kReferTo, "r"},
    {HeaderId::kSubject, "s"},         {HeaderId::kTo, "t"},
    {HeaderId::kAllowEvents, "u"},     {HeaderId::kVia, "v"},
    {HeaderId::kSessionExpires, "x"},  {HeaderId::kIdentity, "y"},
}};

// Full names hashed on (length, first letter, last letter) with case folded: every header of every
// message goes through header_id(), and the hash leaves about one candidate to compare.
constexpr std::size_t name_hash(std::size_t length, char first, char last) {
  return (length * 7 + static_cast<unsigned char>(ascii_lower(first)) * 31 +
          static_cast<unsigned char>(ascii_lower(last))) &
         0xff;
}

struct NameTable {
  static constexpr std::size_t kSlots = 4;
  std::array<std::array<std::uint8_t, kSlots>, 256> ids{};  // 0 = empty (kOther)

  constexpr NameTable() {
    for (std::size_t i = 1; i < kNames.size(); ++i) {
      auto& bucket = ids[name_hash(kNames[i].size(), kNames[i].front(), kNames[i].back())];
      std::size_t k = 0;
      while (bucket[k] != 0) ++k;  // a bucket overflow fails constant evaluation
      bucket[k] = static_cast<std::uint8_t>(i);
    }
  }
};
constexpr NameTable kNameTable;

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.size() == 1) {
    const char c = ascii_lower(name[0]);
    for (const auto& e : kCompact) {
      if (e.name[0] == c) return e.id;
    }
    return HeaderId::kOther;
  }
  if (name.empty()) return HeaderId::kOther;
  for (std::uint8_t id : kNameTable.ids[name_hash(name.size(), name.front(), name.back())]) {
    if (id == 0) break;
    if (iequals(kNames[id], name)) return static_cast<HeaderId>(id);
  }
  return HeaderId::kOther;
}

std::string_view canonical_name(HeaderId id) {
  const auto index = static_cast<std::size_t>(id);
  return index < kNames.size() ? kNames[index] : std::string_view{};
}

bool is_single_value_header(HeaderId id) {
  switch (id) {
    case HeaderId::kOther:  // unknown grammar: never split
    case HeaderId::kCallId:
    case HeaderId::kCSeq:
    case HeaderId::kSubject:
    case HeaderId::kUserAgent:
    case HeaderId::kServer:
    case HeaderId::kDate:
    case HeaderId::kWwwAuthenticate:
    case HeaderId::kProxyAuthenticate:
    case HeaderId::kAuthorization:
    case HeaderId::kProxyAuthorization:
    case HeaderId::kRetryAfter:
    case HeaderId::kIdentity:
      return true;
    default:
      return false;
  }
}

}  // namespace trunkgate::sip
