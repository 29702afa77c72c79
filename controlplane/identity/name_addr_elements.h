// Walks every name-addr element of every field of one header, skipping the elements that do not
// parse: one garbage Diversion or P-Asserted-Identity value must not hide the valid ones beside it.
#pragma once

#include <string_view>

#include "sip/message/message.h"
#include "sip/message/text.h"

namespace trunkgate::cp {

// Calls f(const sip::NameAddr&) for each parsable element, in order; the NameAddr's views point
// into `message`.
template <class F>
void for_each_name_addr(const sip::SipMessage& message, sip::HeaderId id, F&& f) {
  for (std::string_view field : message.fields(id)) {
    sip::ListSplitter elements(field, sip::kDefaultLimits);
    std::string_view element;
    while (elements.next(element)) {
      auto parsed = sip::parse_name_addr(element);
      if (parsed && !parsed->is_star) f(*parsed);
    }
  }
}

}  // namespace trunkgate::cp
