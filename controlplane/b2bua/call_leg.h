// The state the gateway keeps for one leg of a call: its dialog with the peer, where its requests
// go, its media as negotiated, and the bookkeeping of the offer/answer exchanges in flight.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controlplane/config/trunk.h"
#include "controlplane/sdp/media_negotiation.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/invite_2xx_retransmitter.h"
#include "sip/dialog/offer_answer_state.h"
#include "sip/dialog/reliable_provisional.h"
#include "sip/dialog/session_timer.h"
#include "sip/transaction/transaction_layer.h"

namespace trunkgate::cp {

enum class InboundOrOutbound { kInbound, kOutbound };
inline InboundOrOutbound other(InboundOrOutbound s) {
  return s == InboundOrOutbound::kInbound ? InboundOrOutbound::kOutbound
                                          : InboundOrOutbound::kInbound;
}
inline const char* side_name(InboundOrOutbound s) {
  return s == InboundOrOutbound::kInbound ? "inbound" : "outbound";
}

// A re-INVITE or UPDATE with an offer from one leg, waiting for the other leg's answer.
struct PendingOffer {
  sip::ServerTransactionId tx = 0;
  sip::SipMessage request;
  PeerStream offer;
};

struct Leg {
  const Trunk* trunk = nullptr;
  // Where this leg's requests go, in-dialog ones too: always the peer the leg talks to (the
  // trunk's resolved target, or the source of the inbound INVITE), never a Contact that could
  // point elsewhere (symmetric signalling, as SBCs do for peers behind NAT).
  sip::TransportTarget target;
  std::string call_id;
  std::string local_tag;
  std::optional<sip::Dialog> dialog;
  LocalMedia local;
  LegMedia media;
  bool media_known = false;        // `media` holds a completed negotiation
  std::string peer_sdp_version;    // o= version of the peer's last SDP (session refresh check)
  std::string last_sdp_sent;       // our last SDP to this leg
  sip::OfferAnswerState offer_answer;
  std::optional<PendingOffer> pending;  // an offer from this leg awaiting the other leg
  OfferMade offered;                    // our last offer to this leg, to read its answer
  std::unique_ptr<sip::Invite2xxRetransmitter> retransmit_2xx;  // our 2xx to its INVITEs
  std::optional<sip::SipMessage> last_ack;  // our ACK to its latest 2xx (resent on retransmits)
  std::unique_ptr<sip::SessionTimer> session_timer;
  std::optional<sip::SessionTimerAgreement> timer_agreement;
  bool we_refresh = false;
};

struct InboundLeg : Leg {
  sip::ServerTransactionId invite_tx = 0;
  sip::SipMessage invite;
  std::optional<PeerStream> offer;  // the INVITE's offer; nullopt: delayed offer
  std::string answer_sdp;           // our answer to that offer, repeated in 18x and 2xx
  bool final_sent = false;
  bool requires_100rel = false;     // the INVITE had Require: 100rel
  std::unique_ptr<sip::ReliableProvisionalSender> reliable;
  std::optional<sip::UasSessionTimerDecision> timer_decision;
};

struct OutboundLeg : Leg {
  sip::SipMessage invite;  // as last sent: CANCEL and the auth retry are built from it
  bool invite_pending = false;   // a final response is awaited
  bool provisional_seen = false;
  bool cancel_wanted = false;    // send CANCEL once a provisional arrives (RFC 3261 9.1)
  bool answered = false;         // a 2xx arrived
  sip::ReliableProvisionalReceiver prack_receiver;
  std::vector<sip::TransportTarget> targets;
  size_t target_index = 0;
  unsigned auth_attempts = 0;
  uint32_t cseq = 1;
  std::optional<sip::SessionTimerConfig> timer_config;  // what the INVITE asked for
};

}  // namespace trunkgate::cp
