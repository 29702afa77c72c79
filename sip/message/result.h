// Result<T>: a value or a ParseFailure. The parse path never throws; callers test ok() first.
#pragma once

#include <utility>
#include <variant>

#include "sip/message/error.h"

namespace trunkgate::sip {

template <class T>
class [[nodiscard]] Result {
 public:
  // Two overloads rather than one by value: a by-value parameter costs a second copy of large
  // results (NameAddr, Via) on every successful parse.
  Result(const T& value) : state_(value) {}        // NOLINT(google-explicit-constructor)
  Result(T&& value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(ParseFailure failure)
      : state_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !ok().
  const ParseFailure& failure() const { return std::get<ParseFailure>(state_); }
  ParseError error() const { return ok() ? ParseError::kNone : failure().code; }

 private:
  std::variant<T, ParseFailure> state_;
};

inline ParseFailure fail(ParseError code, std::string_view element = {}) {
  return ParseFailure{code, element};
}

}  // namespace trunkgate::sip
