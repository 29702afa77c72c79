#include "controlplane/identity/redirection.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "controlplane/identity/identity_text.h"
#include "controlplane/identity/name_addr_elements.h"
#include "sip/message/text.h"

namespace trunkgate::cp {
namespace {

using sip::iequals;

// RFC 5806 section 4.1 diversion-reason values.
constexpr std::array<std::string_view, 11> kDiversionReasons = {
    "unknown",        "user-busy",  "no-answer", "unavailable",    "unconditional", "time-of-day",
    "do-not-disturb", "deflection", "follow-me", "out-of-service", "away"};

constexpr std::size_t kMaxHistoryEntries = 64;  // bounds the parent search below
constexpr std::size_t kMaxIndexDepth = 16;
constexpr std::uint64_t kMaxIndexLevel = 99999;
constexpr std::uint64_t kMaxCause = 699;

// The reason as one of RFC 5806's tokens; anything else (hostile or vendor text) is "unknown", so
// only known tokens are ever written back.
std::string known_reason(std::string_view text) {
  for (std::string_view known : kDiversionReasons) {
    if (iequals(text, known)) return std::string(known);
  }
  return "unknown";
}

std::string diversion_reason(const sip::NameAddr& diversion) {
  const auto reason = diversion.params.get("reason");
  return reason ? known_reason(sip::unquote(*reason)) : "unknown";
}

std::size_t diversion_counter(const sip::NameAddr& diversion) {
  const auto counter = diversion.params.get("counter");
  const auto n = counter ? sip::parse_decimal(*counter, kMaxRedirections) : std::nullopt;
  return n && *n > 0 ? static_cast<std::size_t>(*n) : 1;
}

struct HistoryEntry {
  std::vector<unsigned> index;
  std::string number;        // normalized or raw; empty when the URI names no number
  std::optional<int> cause;  // cause= in the hi-targeted-to-uri (RFC 4458)
  std::optional<std::vector<unsigned>> mapped_from;  // mp=
  std::optional<int> reason_cause;                   // ?Reason=SIP;cause=N escaped in the URI
};

// "1.1.2" -> {1, 1, 2}.
std::optional<std::vector<unsigned>> parse_index(std::string_view text) {
  std::vector<unsigned> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const auto level = sip::parse_decimal(
        text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start),
        kMaxIndexLevel);
    if (!level || levels.size() == kMaxIndexDepth) return std::nullopt;
    levels.push_back(static_cast<unsigned>(*level));
    if (dot == std::string_view::npos) return levels;
    start = dot + 1;
  }
}

std::optional<int> parse_cause(std::string_view text) {
  const auto n = sip::parse_decimal(text, kMaxCause);
  if (!n) return std::nullopt;
  return static_cast<int>(*n);
}

// The cause of an escaped "Reason=SIP;cause=302" among the URI headers (RFC 7044 section 9.1);
// Q.850 reasons are not SIP response codes and are ignored.
std::optional<int> reason_header_cause(std::string_view uri_headers) {
  std::size_t pos = 0;
  while (pos < uri_headers.size()) {
    std::size_t amp = uri_headers.find('&', pos);
    if (amp == std::string_view::npos) amp = uri_headers.size();
    const std::string_view header = uri_headers.substr(pos, amp - pos);
    pos = amp + 1;
    const std::size_t eq = header.find('=');
    if (eq == std::string_view::npos || !iequals(header.substr(0, eq), "Reason")) continue;
    const auto value = sip::unescape(header.substr(eq + 1));
    if (!value) continue;
    const auto reason = sip::parse_token_with_params(*value);
    if (reason && iequals(reason->token, "SIP")) return parse_cause(reason->param("cause"));
  }
  return std::nullopt;
}

std::optional<HistoryEntry> history_entry(const sip::NameAddr& h, const DialPlan& plan) {
  const auto index_text = h.params.get("index");
  auto index = index_text ? parse_index(*index_text) : std::nullopt;
  if (!index) return std::nullopt;
  HistoryEntry e;
  e.index = std::move(*index);
  if (auto number = uri_number(h.uri)) e.number = normalized_or_raw(*number, plan);
  if (h.uri.is_sip()) {
    if (const auto cause = h.uri.params.get("cause")) e.cause = parse_cause(*cause);
    e.reason_cause = reason_header_cause(h.uri.headers);
  }
  if (const auto mp = h.params.get("mp")) e.mapped_from = parse_index(*mp);
  return e;
}

const HistoryEntry* parent_of(const HistoryEntry& e, const std::vector<HistoryEntry>& entries) {
  std::vector<unsigned> parent_index;
  if (e.mapped_from) {
    parent_index = *e.mapped_from;
  } else if (e.index.size() > 1) {
    parent_index.assign(e.index.begin(), e.index.end() - 1);
  } else {
    return nullptr;
  }
  for (const HistoryEntry& candidate : entries) {
    if (candidate.index == parent_index && &candidate != &e) return &candidate;
  }
  return nullptr;
}

}  // namespace

int cause_for_reason(std::string_view reason) {
  if (iequals(reason, "unconditional")) return 302;
  if (iequals(reason, "user-busy")) return 486;
  if (iequals(reason, "no-answer")) return 408;
  if (iequals(reason, "deflection")) return 480;
  if (iequals(reason, "unavailable")) return 503;
  return 404;
}

std::string reason_for_cause(int cause) {
  switch (cause) {
    case 302:
      return "unconditional";
    case 486:
      return "user-busy";
    case 408:
      return "no-answer";
    case 480:
    case 487:
      return "deflection";
    case 503:
      return "unavailable";
    default:
      return "unknown";
  }
}

void bound_redirections(std::vector<Redirection>& redirections) {
  if (redirections.size() <= kMaxRedirections) return;
  redirections.erase(redirections.begin() + 1,
                     redirections.end() - static_cast<std::ptrdiff_t>(kMaxRedirections - 1));
}

std::vector<Redirection> read_diversions(const sip::SipMessage& invite, const DialPlan& plan) {
  std::vector<Redirection> newest_first;
  for_each_name_addr(invite, sip::HeaderId::kDiversion, [&](const sip::NameAddr& d) {
    const auto number = uri_number(d.uri);
    if (!number) return;
    Redirection r{normalized_or_raw(*number, plan), diversion_reason(d)};
    if (r.number.empty()) return;
    newest_first.insert(newest_first.end(), diversion_counter(d), r);
  });
  std::vector<Redirection> oldest_first(newest_first.rbegin(), newest_first.rend());
  bound_redirections(oldest_first);
  return oldest_first;
}

std::vector<Redirection> read_history_info(const sip::SipMessage& invite, const DialPlan& plan) {
  std::vector<HistoryEntry> entries;
  for_each_name_addr(invite, sip::HeaderId::kHistoryInfo, [&](const sip::NameAddr& h) {
    if (entries.size() == kMaxHistoryEntries) return;
    if (auto e = history_entry(h, plan)) entries.push_back(std::move(*e));
  });
  std::stable_sort(entries.begin(), entries.end(),
                   [](const HistoryEntry& a, const HistoryEntry& b) { return a.index < b.index; });
  std::vector<Redirection> out;
  for (const HistoryEntry& e : entries) {
    const HistoryEntry* parent = parent_of(e, entries);
    if (parent == nullptr || parent->number.empty()) continue;
    if (!e.cause && !e.mapped_from && !parent->reason_cause) continue;  // a hop, not a retarget
    out.push_back(
        {parent->number, reason_for_cause(e.cause.value_or(parent->reason_cause.value_or(404)))});
  }
  bound_redirections(out);
  return out;
}

std::vector<std::string> diversion_values(const std::vector<Redirection>& redirections,
                                          const DialPlan& plan, std::string_view local_host) {
  std::vector<std::string> out;
  for (auto r = redirections.rbegin(); r != redirections.rend(); ++r) {
    out.push_back(name_addr_text({}, phone_uri(number_for_peer(r->number, plan), local_host)) +
                  ";reason=" + known_reason(r->reason) + ";counter=1");
  }
  return out;
}

std::vector<std::string> history_info_values(const std::vector<Redirection>& redirections,
                                             std::string_view target_uri, const DialPlan& plan,
                                             std::string_view local_host) {
  std::vector<std::string> out;
  if (redirections.empty()) return out;
  std::string index = "1";
  std::string parent;
  for (std::size_t k = 0; k <= redirections.size(); ++k) {
    std::string uri = k < redirections.size()
                          ? phone_uri(number_for_peer(redirections[k].number, plan), local_host)
                          : std::string(target_uri);
    std::string entry;
    if (k == 0) {
      entry = "<" + uri + ">;index=" + index;
    } else {
      uri += ";cause=" + std::to_string(cause_for_reason(redirections[k - 1].reason));
      entry = "<" + uri + ">;index=" + index + ";mp=" + parent;
    }
    out.push_back(std::move(entry));
    parent = index;
    index += ".1";
  }
  return out;
}

}  // namespace trunkgate::cp
