#include "sip/message/method.h"

#include <array>

namespace trunkgate::sip {

namespace {

constexpr std::array<std::string_view, 15> kMethodNames = {
    "",       "INVITE", "ACK",       "BYE",    "CANCEL", "OPTIONS", "REGISTER", "PRACK",
    "UPDATE", "INFO",   "SUBSCRIBE", "NOTIFY", "REFER",  "MESSAGE", "PUBLISH",
};

}  // namespace

Method method_from_name(std::string_view name) {
  for (std::size_t i = 1; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == name) return static_cast<Method>(i);
  }
  return Method::kOther;
}

std::string_view method_name(Method m) {
  const auto index = static_cast<std::size_t>(m);
  return index < kMethodNames.size() ? kMethodNames[index] : std::string_view{};
}

}  // namespace trunkgate::sip
