// Redirection (call diversion) history both ways: Diversion (RFC 5806, CUCM and 8x8 style) and
// History-Info (RFC 7044, SIPconnect 2.0 section 11.1), converted through the mapping of RFC 7544
// (which obsoletes RFC 6044): a Diversion reason is the RFC 4458 "cause" of the History-Info entry
// of the diverted-to target.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "controlplane/identity/identity_mapping.h"
#include "sip/message/message.h"

namespace trunkgate::cp {

// At most this many redirections are kept: the oldest (the original called party, which CUCM
// treats as RDNIS, spec 001 line 319) and the newest ones (the last redirecting party).
inline constexpr std::size_t kMaxRedirections = 10;

// RFC 4458 section 3.5 redirecting causes: unconditional 302, user-busy 486, no-answer 408,
// deflection 480 (487 when diverted during alerting, read only), unavailable 503 (subscriber not
// reachable), anything else 404 ("unknown").
int cause_for_reason(std::string_view reason);
std::string reason_for_cause(int cause);

// Diversion headers, newest first on the wire (RFC 5806 section 4: each diverting entity adds
// its header on top); returned oldest first. counter=N expands to N entries (bounded). Elements
// that do not parse are skipped.
std::vector<Redirection> read_diversions(const sip::SipMessage& invite, const DialPlan& plan);

// History-Info entries sorted by index; an entry retargeted from its parent (the entry named by
// its "mp" parameter, else the index without its last component) is a redirection of the parent's
// number when it carries a cause URI parameter or "mp", or the parent carries an escaped
// Reason: SIP;cause=N (RFC 7044 sections 9.1 and 10.1).
std::vector<Redirection> read_history_info(const sip::SipMessage& invite, const DialPlan& plan);

// Keeps the oldest and the newest kMaxRedirections - 1 entries.
void bound_redirections(std::vector<Redirection>& redirections);

// Diversion header values, newest first, numbers formatted by `plan`, hosts `local_host`.
std::vector<std::string> diversion_values(const std::vector<Redirection>& redirections,
                                          const DialPlan& plan, std::string_view local_host);

// History-Info entries for a call to `target_uri` after `redirections` (oldest first): index 1 is
// the first diverting party, each later entry is the child (".1") of the one before with mp= its
// parent and cause= the reason of that diversion; the last entry is the target (RFC 7544
// section 5.1). Empty without redirections.
std::vector<std::string> history_info_values(const std::vector<Redirection>& redirections,
                                             std::string_view target_uri, const DialPlan& plan,
                                             std::string_view local_host);

}  // namespace trunkgate::cp
