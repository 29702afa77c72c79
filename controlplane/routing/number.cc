#include "controlplane/routing/number.h"

#include <algorithm>

namespace trunkgate::cp {
namespace {

constexpr size_t kMaxE164Digits = 15;
constexpr size_t kMinE164Digits = 7;  // shortest assigned E.164 numbers (small countries)

bool is_separator(char c) { return c == '-' || c == '.' || c == '(' || c == ')' || c == ' '; }

bool is_emergency(const std::string& digits, const DialPlan& plan) {
  return std::find(plan.emergency.begin(), plan.emergency.end(), digits) != plan.emergency.end();
}

NumberResult ok(NumberClass cls, std::string digits) {
  return NumberResult{Number{cls, std::move(digits)}, NumberError::kEmpty};
}

NumberResult fail(NumberError e) { return NumberResult{std::nullopt, e}; }

NumberResult classify_e164(std::string digits, const DialPlan& plan) {
  // "+1911": the country code in front of an emergency code still means the emergency code.
  if (digits.compare(0, plan.country_code.size(), plan.country_code) == 0 &&
      is_emergency(digits.substr(plan.country_code.size()), plan))
    return ok(NumberClass::kEmergency, digits.substr(plan.country_code.size()));
  if (digits.size() > kMaxE164Digits) return fail(NumberError::kTooLong);
  if (digits.size() < kMinE164Digits) return fail(NumberError::kTooShort);
  return ok(NumberClass::kE164, std::move(digits));
}

}  // namespace

const char* to_string(NumberError e) {
  switch (e) {
    case NumberError::kEmpty: return "empty number";
    case NumberError::kBadCharacter: return "not a telephone number (bad character)";
    case NumberError::kTooLong: return "more than 15 digits";
    case NumberError::kTooShort: return "too few digits";
    case NumberError::kNotDialable: return "not a complete number under the trunk's dial plan";
  }
  return "unknown";
}

NumberResult normalize(std::string_view text, const DialPlan& plan) {
  bool plus = false;
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && i == 0) plus = true;
    else if (c >= '0' && c <= '9') digits.push_back(c);
    else if (!is_separator(c)) return fail(NumberError::kBadCharacter);
    if (digits.size() > kMaxE164Digits + plan.international_prefix.size())
      return fail(NumberError::kTooLong);  // bounded work on hostile input
  }
  if (digits.empty()) return fail(NumberError::kEmpty);
  if (plus) return classify_e164(std::move(digits), plan);
  if (is_emergency(digits, plan)) return ok(NumberClass::kEmergency, digits);
  if (!plan.international_prefix.empty() &&
      digits.compare(0, plan.international_prefix.size(), plan.international_prefix) == 0)
    return classify_e164(digits.substr(plan.international_prefix.size()), plan);
  if (digits.size() == plan.national_length) return classify_e164(plan.country_code + digits, plan);
  if (digits.size() == plan.country_code.size() + plan.national_length &&
      digits.compare(0, plan.country_code.size(), plan.country_code) == 0)
    return classify_e164(std::move(digits), plan);
  return fail(digits.size() < plan.national_length ? NumberError::kNotDialable
                                                   : NumberError::kTooLong);
}

std::string format(const Number& number, const DialPlan& plan) {
  if (number.cls == NumberClass::kEmergency) return number.digits;
  switch (plan.format) {
    case DialPlan::Format::kE164Plus:
      return "+" + number.digits;
    case DialPlan::Format::kE164:
      return number.digits;
    case DialPlan::Format::kNational: {
      const std::string& cc = plan.country_code;
      const bool domestic = number.digits.compare(0, cc.size(), cc) == 0 &&
                            number.digits.size() == cc.size() + plan.national_length;
      return domestic ? number.digits.substr(cc.size())
                      : plan.international_prefix + number.digits;
    }
  }
  return number.digits;
}

}  // namespace trunkgate::cp
