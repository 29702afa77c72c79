// Telephone numbers as the gateway routes them. Every number entering from a trunk is normalized
// once, by that trunk's dialing plan, into E.164 ("+19665551234") or an emergency short code
// ("911"); routing and identity work on that form only, and each outgoing trunk formats it back
// the way its peer wants (spec 000 section "Number format": 8x8 takes only full E.164, with or
// without '+'; "911" or "+1911" for emergency calls).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trunkgate::cp {

enum class NumberClass { kE164, kEmergency };

struct Number {
  NumberClass cls = NumberClass::kE164;
  std::string digits;  // E.164 without '+', or the emergency code
  std::string e164() const { return cls == NumberClass::kE164 ? "+" + digits : digits; }
};

// How a trunk's peer writes numbers, both ways.
struct DialPlan {
  std::string country_code = "1";          // for national numbers
  unsigned national_length = 10;           // digits of a national number without country code
  std::string international_prefix = "011";
  std::vector<std::string> emergency = {"911"};
  enum class Format { kE164Plus, kE164, kNational } format = Format::kE164Plus;
};

enum class NumberError {
  kEmpty,
  kBadCharacter,      // not a digit or visual separator (RFC 3966)
  kTooLong,           // E.164 allows at most 15 digits
  kTooShort,          // fewer digits than any plan reading accepts
  kNotDialable,       // digits that no reading of the plan makes E.164 (e.g. 7-digit local)
};
const char* to_string(NumberError e);

struct NumberResult {
  std::optional<Number> number;
  NumberError error = NumberError::kEmpty;
};

// `text` is a URI user part or tel: number: "+1 (966) 555-1234", "19665551234", "9665551234",
// "011442071234567", "911", "+1911". Visual separators ( ) - . and spaces are ignored.
NumberResult normalize(std::string_view text, const DialPlan& plan);

// The number as `plan`'s peer expects it; emergency codes are sent as the code itself.
std::string format(const Number& number, const DialPlan& plan);

}  // namespace trunkgate::cp
