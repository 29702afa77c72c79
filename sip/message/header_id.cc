#include "sip/message/header_id.h"

#include <array>
#include <cstdint>
#include <cstring>
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
// message goes through header_id(). The factors were chosen so that no two names share a slot,
// leaving exactly one candidate to compare (a collision fails the table's constant evaluation).
constexpr std::size_t name_hash(std::size_t length, char first, char last) {
  return (length + static_cast<unsigned char>(ascii_lower(first)) * 22 +
          static_cast<unsigned char>(ascii_lower(last))) &
         0xff;
}

void two_names_in_one_slot() {}  // not constexpr: calling it stops the constant evaluation

struct NameTable {
  static constexpr std::size_t kMaxLength = 24;  // the longest name has 20 bytes
  std::array<std::uint8_t, 256> ids{};           // by name_hash; 0 = empty (kOther)
  // Each name in lower case, and 0x20 at its letters: (c | fold) == lower holds exactly when c is
  // that letter in either case or the same non-letter byte. It lets names_equal compare whole
  // words instead of case-folding byte by byte, which was the cost of header_id in the profile.
  std::array<std::array<char, kMaxLength>, kNames.size()> lower{};
  std::array<std::array<char, kMaxLength>, kNames.size()> fold{};

  constexpr NameTable() {
    for (std::size_t i = 1; i < kNames.size(); ++i) {
      auto& slot = ids[name_hash(kNames[i].size(), kNames[i].front(), kNames[i].back())];
      if (slot != 0) two_names_in_one_slot();
      slot = static_cast<std::uint8_t>(i);
      for (std::size_t j = 0; j < kNames[i].size(); ++j) {  // too long a name fails here too
        const char c = kNames[i][j];
        lower[i][j] = ascii_lower(c);
        const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        fold[i][j] = letter ? '\x20' : '\0';
      }
    }
  }
};
constexpr NameTable kNameTable;

template <class Word>
Word load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Case-insensitive comparison of the n bytes at s with canonical name `id`, for
// sizeof(Word) <= n <= 2 * sizeof(Word): two loads that overlap when n is not a multiple.
template <class Word>
bool folded_equal(const char* s, std::size_t id, std::size_t offset, std::size_t n) {
  const char* lower = kNameTable.lower[id].data() + offset;
  const char* fold = kNameTable.fold[id].data() + offset;
  const std::size_t tail = n - sizeof(Word);
  const auto diff = [&](std::size_t at) {
    return static_cast<Word>((load<Word>(s + at) | load<Word>(fold + at)) ^ load<Word>(lower + at));
  };
  return (diff(0) | diff(tail)) == 0;
}

// Precondition: name.size() == kNames[id].size(), 2 <= size <= kMaxLength.
bool names_equal(std::string_view name, std::size_t id) {
  const char* s = name.data();
  const std::size_t n = name.size();
  if (n < 4) return folded_equal<std::uint16_t>(s, id, 0, n);
  if (n < 8) return folded_equal<std::uint32_t>(s, id, 0, n);
  if (n <= 16) return folded_equal<std::uint64_t>(s, id, 0, n);
  return folded_equal<std::uint64_t>(s, id, 0, 8) &&
         folded_equal<std::uint64_t>(s + 8, id, 8, n - 8);
}

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
  const std::uint8_t id = kNameTable.ids[name_hash(name.size(), name.front(), name.back())];
  if (id == 0 || kNames[id].size() != name.size() || !names_equal(name, id))
    return HeaderId::kOther;
  return static_cast<HeaderId>(id);
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
