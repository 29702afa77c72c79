// Headers whose value is a number or a token with optional params: CSeq, Max-Forwards,
// Content-Length, Session-Expires, Min-SE, RSeq, RAck, Retry-After, Event, Subscription-State,
// Reason, Replaces, token lists (Supported, Require, Unsupported, Allow, Privacy, Allow-Events).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sip/message/limits.h"
#include "sip/message/params.h"
#include "sip/message/result.h"

namespace trunkgate::sip {

// RFC 3261 8.1.1.5: the sequence number must be below 2^31.
inline constexpr std::uint32_t kMaxCSeq = 0x7fffffff;

struct CSeq {
  std::uint32_t number = 0;
  std::string_view method;
};
Result<CSeq> parse_cseq(std::string_view value);

// Max-Forwards, Content-Length, Min-SE (its params ignored), RSeq, Expires: a bounded decimal.
Result<std::uint32_t> parse_uint32(std::string_view value);

// RFC 4028: delta-seconds with ;refresher=uac|uas.
struct SessionExpires {
  std::uint32_t seconds = 0;
  Params params;
  std::string_view refresher() const {
    return params.get("refresher").value_or(std::string_view{});
  }
};
Result<SessionExpires> parse_session_expires(std::string_view value,
                                             const ParseLimits& limits = kDefaultLimits);

// Min-SE: delta-seconds with optional params.
Result<std::uint32_t> parse_min_se(std::string_view value,
                                   const ParseLimits& limits = kDefaultLimits);

// RFC 3262 RAck: response-num CSeq-num Method.
struct RAck {
  std::uint32_t rseq = 0;
  std::uint32_t cseq = 0;
  std::string_view method;
};
Result<RAck> parse_rack(std::string_view value);

// Retry-After: delta-seconds [comment] *(;param).
struct RetryAfter {
  std::uint32_t seconds = 0;
  std::string_view comment;  // without parentheses
  Params params;
};
Result<RetryAfter> parse_retry_after(std::string_view value,
                                     const ParseLimits& limits = kDefaultLimits);

// A token followed by params: Event (package;id=), Subscription-State (state;expires=;reason=),
// Reason (protocol;cause=;text=), Content-Disposition (type;handling=), Privacy values.
struct TokenWithParams {
  std::string_view token;
  Params params;
  std::string_view param(std::string_view name) const {
    return params.get(name).value_or(std::string_view{});
  }
};
Result<TokenWithParams> parse_token_with_params(std::string_view value,
                                                const ParseLimits& limits = kDefaultLimits);

// Subscription-State expires: tolerant of the negative value CUCM sends (DIGEST-001 line 846),
// which is reported as nullopt rather than rejecting the NOTIFY.
std::optional<std::uint32_t> subscription_expires(const TokenWithParams& state);

// RFC 3891 Replaces: callid;to-tag=;from-tag=[;early-only].
struct Replaces {
  std::string_view call_id;
  Params params;
  std::string_view to_tag() const { return params.get("to-tag").value_or(std::string_view{}); }
  std::string_view from_tag() const { return params.get("from-tag").value_or(std::string_view{}); }
  bool early_only() const { return params.has("early-only"); }
};
Result<Replaces> parse_replaces(std::string_view value, const ParseLimits& limits = kDefaultLimits);

// Supported, Require, Unsupported, Allow, Privacy (';' separated too), Allow-Events, Proxy-Require:
// a comma list of tokens. Each token is checked; case is kept.
Result<std::vector<std::string_view>> parse_token_list(std::string_view value,
                                                       const ParseLimits& limits = kDefaultLimits);

}  // namespace trunkgate::sip
