// read_identity(): the called number from the Request-URI, the caller from the identity headers
// the inbound trunk's style puts first, privacy, and the redirection history.
#include <array>

#include "controlplane/identity/identity_mapping.h"
#include "controlplane/identity/identity_text.h"
#include "controlplane/identity/name_addr_elements.h"
#include "controlplane/identity/redirection.h"
#include "sip/message/text.h"

namespace trunkgate::cp {
namespace {

using sip::HeaderId;
using sip::iequals;

IdentityResult reject(IdentityError error, int status, std::string detail) {
  IdentityResult r;
  r.error = error;
  r.sip_status = status;
  r.detail = std::move(detail);
  return r;
}

// The detail names the error only, never the received digits: it goes into a reason phrase and
// the log, and the user part may carry any escaped byte (CR, LF).
IdentityResult read_called(const sip::SipMessage& invite, const DialPlan& plan, Number& called) {
  const auto uri = invite.request_uri();
  const auto user = uri ? uri_number(*uri) : std::nullopt;
  if (!user) {
    return reject(IdentityError::kCalledMissing, 404, "Request-URI has no telephone number");
  }
  NumberResult n = normalize(*user, plan);
  if (n.number) {
    called = std::move(*n.number);
    return {};
  }
  // Fewer digits than the plan's shortest number: more digits could complete it, which is what
  // 484 Address Incomplete says (RFC 3261 21.4.22; overlap dialing, RFC 3578). Letters, too many
  // digits or no digits cannot be completed: the number does not exist, 404 (RFC 3261 21.4.5).
  const bool incomplete = n.error == NumberError::kTooShort || n.error == NumberError::kNotDialable;
  return reject(IdentityError::kCalledInvalid, incomplete ? 484 : 404,
                std::string("called number: ") + to_string(n.error));
}

// RFC 3323 4.1.1.3: sip:anonymous@anonymous.invalid; carriers also send anonymous@<their host>.
bool is_anonymous_uri(const sip::Uri& uri) {
  return iequals(uri.user_number(), "anonymous") || iequals(uri.host, "anonymous.invalid");
}

// SIPconnect 2.0 10.1.3: sip:unavailable@unknown.invalid, an identity that is not there.
bool is_unavailable_uri(const sip::Uri& uri) {
  return uri.is_sip() && uri.host.size() > 8 &&
         iequals(uri.host.substr(uri.host.size() - 8), ".invalid");
}

// Privacy: id / user / header (RFC 3323 section 4.2, RFC 3325 section 9.3) hide the caller;
// "none", "session" and "critical" do not. Values are separated by ';' (and tolerated with ',').
bool privacy_requested(const sip::SipMessage& invite) {
  for (std::string_view field : invite.fields(HeaderId::kPrivacy)) {
    std::size_t pos = 0;
    while (pos <= field.size()) {
      std::size_t end = sip::find_any(field, ";,", pos);
      if (end == std::string_view::npos) end = field.size();
      const std::string_view value = sip::trim_lws(field.substr(pos, end - pos));
      if (iequals(value, "id") || iequals(value, "user") || iequals(value, "header")) return true;
      pos = end + 1;
    }
  }
  return false;
}

// RPID party defaults to "calling" (draft-ietf-sip-privacy-04); party=called is connected-line
// information in responses (spec 001 lines 766-805).
bool is_calling_party(const sip::NameAddr& rpid) {
  const auto party = rpid.params.get("party");
  return !party || iequals(*party, "calling");
}

// The first usable element, ranked: one whose number normalizes before one whose does not, then
// SIP URIs before tel URIs (SIPconnect 2.0 10.1.4: "MUST prefer the SIP URI when two are
// present"; both carry the same number there). The number rank is for Microsoft's
// "test2"<sip:test2@example.com>,<tel:+15555550100> (spec 002 line 1117), whose number is in the
// tel URI only.
std::optional<sip::NameAddr> first_identity(const sip::SipMessage& invite, HeaderId id,
                                            const DialPlan& plan) {
  std::optional<sip::NameAddr> best;
  int best_rank = 4;
  for_each_name_addr(invite, id, [&](const sip::NameAddr& a) {
    if (id == HeaderId::kRemotePartyId && !is_calling_party(a)) return;
    if (!a.uri.is_sip() && a.uri.scheme != sip::UriScheme::kTel) return;
    const auto number = uri_number(a.uri);
    const bool normalizes = number && normalize(*number, plan).number.has_value();
    const int rank = (normalizes ? 0 : 2) + (a.uri.is_sip() ? 0 : 1);
    if (rank < best_rank) {
      best = a;
      best_rank = rank;
    }
  });
  return best;
}

// A display name that only says "Anonymous" is a privacy marker (RFC 3323 4.1.1.3; CUCM's name
// restriction, spec 001 line 732), not a name.
std::string display_name(const sip::NameAddr& addr) {
  std::string display = clean_display_name(addr.display_name_text());
  if (iequals(display, "anonymous")) display.clear();
  return display;
}

struct CallerSource {
  sip::NameAddr addr;
  bool screened = false;
};

// The trunk's own identity header first, then the other style, P-Preferred-Identity, From.
std::optional<CallerSource> choose_caller(const sip::SipMessage& invite, const Trunk& trunk) {
  const std::array<HeaderId, 3> order =
      trunk.identity == IdentityStyle::kRemotePartyId
          ? std::array{HeaderId::kRemotePartyId, HeaderId::kPAssertedIdentity,
                       HeaderId::kPPreferredIdentity}
          : std::array{HeaderId::kPAssertedIdentity, HeaderId::kRemotePartyId,
                       HeaderId::kPPreferredIdentity};
  for (HeaderId id : order) {
    auto addr = first_identity(invite, id, trunk.dial_plan);
    if (!addr) continue;
    const auto screen = addr->params.get("screen");
    const bool screened = id == HeaderId::kPAssertedIdentity ||
                          (id == HeaderId::kRemotePartyId && screen && iequals(*screen, "yes"));
    return CallerSource{*addr, screened};
  }
  auto from = invite.from();
  if (!from) return std::nullopt;
  return CallerSource{*from, false};
}

// RPID privacy (spec 001 Table 1-27, lines 730-764): "uri" and "full" restrict the number,
// "name" and "full" the name.
void apply_rpid_privacy(const sip::SipMessage& invite, const DialPlan& plan, CallIdentity& id) {
  const auto rpid = first_identity(invite, HeaderId::kRemotePartyId, plan);
  if (!rpid) return;
  const auto privacy = rpid->params.get("privacy");
  if (!privacy) return;
  if (iequals(*privacy, "full") || iequals(*privacy, "uri")) id.anonymous = true;
  if (iequals(*privacy, "name")) id.calling_display.clear();
}

void read_caller(const sip::SipMessage& invite, const Trunk& trunk, CallIdentity& id) {
  const auto from = invite.from();
  if (from && is_anonymous_uri(from->uri)) id.anonymous = true;
  if (privacy_requested(invite)) id.anonymous = true;

  if (auto source = choose_caller(invite, trunk)) {
    const sip::Uri& uri = source->addr.uri;
    id.screened = source->screened;
    id.calling_display = display_name(source->addr);
    if (id.calling_display.empty() && from) id.calling_display = display_name(*from);
    if (is_anonymous_uri(uri)) {
      id.anonymous = true;
    } else if (!is_unavailable_uri(uri)) {
      if (auto number = uri_number(uri)) id.calling = normalized_or_raw(*number, trunk.dial_plan);
    }
  }
  apply_rpid_privacy(invite, trunk.dial_plan, id);
}

std::vector<Redirection> read_redirections(const sip::SipMessage& invite, const Trunk& trunk) {
  const bool diversion_first = trunk.identity == IdentityStyle::kRemotePartyId;
  auto first = diversion_first ? read_diversions(invite, trunk.dial_plan)
                               : read_history_info(invite, trunk.dial_plan);
  if (!first.empty()) return first;
  return diversion_first ? read_history_info(invite, trunk.dial_plan)
                         : read_diversions(invite, trunk.dial_plan);
}

}  // namespace

IdentityResult read_identity(const sip::SipMessage& invite, const Trunk& trunk) {
  CallIdentity id;
  IdentityResult result = read_called(invite, trunk.dial_plan, id.called);
  if (result.error != IdentityError::kNone) return result;
  read_caller(invite, trunk, id);
  id.redirections = read_redirections(invite, trunk);
  result.identity = std::move(id);
  return result;
}

}  // namespace trunkgate::cp
