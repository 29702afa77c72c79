// A trunk: one SIP peer the gateway exchanges calls with (an enterprise PBX or a carrier), and
// everything that differs from peer to peer: how to reach it, how to recognise and authenticate
// its calls, which codecs and DTMF and SRTP it speaks, how it writes numbers and identities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controlplane/limits/call_limiter.h"
#include "controlplane/routing/number.h"

namespace trunkgate::cp {

enum class SipTransport { kUdp, kTcp, kTls };
enum class TrunkMode { kStatic, kRegister };            // SIPconnect Annex B / Annex A
enum class DtmfMode { kRfc4733, kInband };
enum class SrtpPolicy { kOff, kOptional, kRequired };
enum class IdentityStyle { kRemotePartyId, kPAssertedIdentity };  // CUCM and 8x8 / SIPconnect
enum class Refresher { kUac, kUas };

struct IpPrefix {
  std::string address;  // textual, validated
  unsigned length = 0;
};

struct Credentials {
  std::string username;
  std::string password;
  std::string realm;  // empty: answer any realm's challenge
};

struct SessionTimerPolicy {
  unsigned expires_s = 1800;
  unsigned min_se_s = 90;
  Refresher refresher = Refresher::kUac;
};

struct Registration {
  std::string registrar;  // host or host:port
  std::string aor;        // sip:+1...@domain
  unsigned expires_s = 3600;
};

struct Trunk {
  std::string name;
  // Peer: an IP address, a host name (A/AAAA) or a domain (NAPTR/SRV, RFC 3263).
  std::string peer_host;
  uint16_t peer_port = 0;  // 0: from DNS or the transport's default
  SipTransport transport = SipTransport::kUdp;
  std::string media_interface;  // data-plane interface name for this trunk's media
  TrunkMode mode = TrunkMode::kStatic;
  std::optional<Registration> registration;
  std::vector<IpPrefix> inbound_sources;  // calls from these addresses belong to this trunk
  bool challenge_inbound = false;         // digest-challenge its requests (RFC 3261 22)
  std::optional<Credentials> inbound_credentials;
  std::optional<Credentials> outbound_credentials;  // to answer its 401/407
  std::vector<std::string> codecs = {"PCMU", "PCMA"};  // in order of preference
  DtmfMode dtmf = DtmfMode::kRfc4733;
  unsigned telephone_event_pt = 101;
  SrtpPolicy srtp = SrtpPolicy::kOff;
  IdentityStyle identity = IdentityStyle::kPAssertedIdentity;
  DialPlan dial_plan;
  std::optional<SessionTimerPolicy> session_timer;
  unsigned options_keepalive_s = 0;  // 0: no OPTIONS keepalive
  CallLimits limits;
};

}  // namespace trunkgate::cp
