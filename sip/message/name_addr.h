// name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route,
// P-Asserted-Identity, P-Preferred-Identity, Remote-Party-ID, Diversion, History-Info, Refer-To,
// Referred-By, Call-Info. Display names may be quoted or bare tokens; the URI may or may not be in
// angle brackets (without brackets, everything after the URI's first ';' is a header parameter, as
// RFC 3261 20.10 requires).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/params.h"
#include "sip/message/result.h"
#include "sip/message/uri.h"

namespace trunkgate::sip {

struct NameAddr {
  std::string_view display_name;  // as written, quotes included; empty if none
  Uri uri;
  Params params;  // header params: tag, expires, q, party, privacy, reason ...
  bool angle_brackets = false;
  bool is_star = false;  // "Contact: *"

  std::string_view tag() const { return params.get("tag").value_or(std::string_view{}); }
  // The display name without quotes and escapes.
  std::string display_name_text() const;
};

Result<NameAddr> parse_name_addr(std::string_view value,
                                 const ParseLimits& limits = kDefaultLimits);

// A comma list of name-addrs (Contact, Route, PAI ...).
Result<std::vector<NameAddr>> parse_name_addr_list(std::string_view value,
                                                   const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
