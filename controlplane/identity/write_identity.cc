// write_identity(): the Request-URI, From, To and identity headers of an outbound INVITE, built
// only from CallIdentity's cleaned values (nothing received is copied: no internal host, no
// unvalidated text reaches the other trunk).
#include "controlplane/identity/identity_mapping.h"
#include "controlplane/identity/identity_text.h"
#include "controlplane/identity/redirection.h"

namespace trunkgate::cp {
namespace {

// RFC 3323 4.1.1.3 and SIPconnect 2.0 10.2.4: the anonymous URI, display "Anonymous".
constexpr std::string_view kAnonymousUri = "sip:anonymous@anonymous.invalid";
// SIPconnect 2.0 10.1.3: no caller identity available and no privacy requested.
constexpr std::string_view kUnavailableUri = "sip:unavailable@unknown.invalid";

std::string from_value(bool hide, const std::string& calling, const std::string& display,
                       std::string_view local_host) {
  if (hide) return name_addr_text("Anonymous", kAnonymousUri);
  if (calling.empty()) return name_addr_text(display, kUnavailableUri);
  return name_addr_text(display, phone_uri(calling, local_host));
}

// Spec 000 "Caller ID": "John Doe" <sip:15558881234@209.247.17.37>;party=calling;privacy=off;
// screen=yes, privacy=full when withheld. CUCM reads privacy and ignores party and screen (spec
// 001 Table 1-27). The real name stays in the header when withheld, as CUCM sends it: privacy
// tells the trusted peer not to present it.
void add_remote_party_id(const CallIdentity& id, bool hide, const std::string& calling,
                         std::string_view local_host, OutboundIdentity& out) {
  if (calling.empty() && !hide) return;
  const std::string uri =
      calling.empty() ? std::string(kAnonymousUri) : phone_uri(calling, local_host);
  out.headers.emplace_back("Remote-Party-ID",
                           name_addr_text(id.calling_display, uri) + ";party=calling;privacy=" +
                               (hide ? "full" : "off") + ";screen=" + (id.screened ? "yes" : "no"));
}

// SIPconnect 2.0 10.2.3 (PAI MUST be present, with the display name when not restricted, 10.1.4)
// and 10.2.5 (privacy: Privacy: id with the anonymous From).
void add_p_asserted_identity(const CallIdentity& id, bool hide, const std::string& calling,
                             std::string_view local_host, OutboundIdentity& out) {
  if (!calling.empty()) {
    out.headers.emplace_back("P-Asserted-Identity",
                             name_addr_text(id.calling_display, phone_uri(calling, local_host)));
  }
  if (hide) out.headers.emplace_back("Privacy", "id");
}

void add_redirections(const CallIdentity& id, const Trunk& trunk, const std::string& target_uri,
                      std::string_view local_host, OutboundIdentity& out) {
  if (trunk.identity == IdentityStyle::kRemotePartyId) {
    for (std::string& d : diversion_values(id.redirections, trunk.dial_plan, local_host)) {
      out.headers.emplace_back("Diversion", std::move(d));
    }
  } else {
    for (std::string& h :
         history_info_values(id.redirections, target_uri, trunk.dial_plan, local_host)) {
      out.headers.emplace_back("History-Info", std::move(h));
    }
  }
}

}  // namespace

OutboundIdentity write_identity(const CallIdentity& identity, const Trunk& trunk,
                                std::string_view peer_hostport, std::string_view local_host,
                                std::string_view from_tag) {
  const DialPlan& plan = trunk.dial_plan;
  const std::string calling = number_for_peer(identity.calling, plan);
  // SIPconnect 2.0 section 13: an emergency call MUST NOT withhold P-Asserted-Identity nor
  // anonymize From; the same holds toward RPID trunks (spec 000 "e911 Support" example).
  const bool emergency = identity.called.cls == NumberClass::kEmergency;
  const bool hide = identity.anonymous && !(emergency && !calling.empty());

  OutboundIdentity out;
  out.request_uri = phone_uri(format(identity.called, plan), peer_hostport);
  // SIPconnect 2.0 10.2.2: To "normally populated with the same URI as the Request-URI"; 8x8's
  // examples (spec 000) do the same.
  out.to = "<" + out.request_uri + ">";
  out.from = from_value(hide, calling, identity.calling_display, local_host) +
             ";tag=" + std::string(from_tag);
  if (trunk.identity == IdentityStyle::kRemotePartyId) {
    add_remote_party_id(identity, hide, calling, local_host, out);
  } else {
    add_p_asserted_identity(identity, hide, calling, local_host, out);
  }
  add_redirections(identity, trunk, out.request_uri, local_host, out);
  return out;
}

}  // namespace trunkgate::cp
