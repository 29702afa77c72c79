// One call through the gateway: two independent dialogs (the inbound leg, where the gateway is the
// UAS, and the outbound leg, where it is the UAC) and the media anchored between them in the data
// plane. Nothing passes from one leg to the other verbatim: every request and response is rebuilt
// with the gateway's own Call-ID, tags, Via and Contact (topology hiding), and every SDP is the
// gateway's own, pointing at its media ports.
//
// Lifetime: the B2bua owns calls through shared_ptr; every callback that can outlive a call (a
// transaction's response, a timer, a data-plane answer) holds a weak_ptr and does nothing once the
// call is gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controlplane/b2bua/call_events.h"
#include "controlplane/b2bua/call_leg.h"
#include "controlplane/cdr/cdr.h"
#include "controlplane/config/cp_config.h"
#include "controlplane/identity/identity_mapping.h"
#include "controlplane/media/port_allocator.h"
#include "controlplane/routing/route_table.h"
#include "controlplane/sdp/media_plan.h"

namespace trunkgate::cp {

class B2bua;

// The flows of one direction of a call as the data plane has them.
struct ProgrammedFlows {
  std::string signature;               // what they were built from (empty: none programmed)
  std::vector<channel::FlowKey> keys;  // RTP, and RTCP unless transcoding
  bool transcodes = false;
  bool has(const channel::FlowKey& key) const;
};

// The codec the other leg settled on first, then the rest `trunk` allows and can bridge to it:
// relay wins whenever the peer accepts it. kNone: all of the trunk's codecs in its order.
std::vector<channel::Codec> preferring(channel::Codec settled, const Trunk& trunk);

enum class CallState {
  kRouting,     // choosing / trying outbound trunks; nothing answered yet
  kEarly,       // the outbound leg sent a provisional response
  kAnswering,   // the outbound leg answered; the inbound leg's ACK (and answer) is awaited
  kConfirmed,   // both legs confirmed
  kEnded,
};

class Call : public std::enable_shared_from_this<Call> {
 public:
  // `config` is the configuration the call was admitted under; `route` and the legs' trunks
  // point into it, and the call keeps it alive, so a reload never changes an established call.
  Call(B2bua& owner, std::shared_ptr<const CpConfig> config, uint64_t id, CallIdentity identity,
       const Route* route, bool emergency);
  ~Call();

  uint64_t id() const { return id_; }
  CallState state() const { return state_; }
  InboundLeg& inbound() { return in_; }
  OutboundLeg& outbound() { return out_; }
  const InboundLeg& inbound() const { return in_; }
  const OutboundLeg& outbound() const { return out_; }
  bool emergency() const { return emergency_; }
  bool transcoding() const { return flows_[0].transcodes || flows_[1].transcodes; }
  const CpConfig& config() const { return *config_; }
  const CallIdentity& identity() const { return identity_; }
  const Route* route() const { return route_; }
  // What the CDR will say so far: set-up and answer times, trunks, codecs, causes.
  const CdrRecord& record() const { return cdr_; }
  // A leg's local media port (address, RTP port, worker); nullopt before it has one.
  const std::optional<MediaPort>& media_port(InboundOrOutbound side) const {
    return side == InboundOrOutbound::kInbound ? in_port_ : out_port_;
  }
  // The flow keys programmed for the direction from `side` to the other leg.
  const std::vector<channel::FlowKey>& flow_keys(InboundOrOutbound from) const {
    return flows_[from == InboundOrOutbound::kInbound ? 0 : 1].keys;
  }

  // --- set-up (call_setup.cc) ---
  // The inbound INVITE was admitted: allocate media, try the route's first usable trunk.
  void start();
  // CANCEL for the inbound INVITE (the transaction layer already answered the CANCEL).
  void on_inbound_cancel();

  // --- in-dialog traffic (call_dialog.cc) ---
  void on_request(InboundOrOutbound side, sip::ServerTransactionId tx, const sip::SipMessage& req);
  void on_ack(InboundOrOutbound side, const sip::SipMessage& ack);
  void on_stray_response(const sip::SipMessage& response);

  // --- data-plane events (call_media.cc) ---
  void on_media_event(const channel::Event& event);

  // Ends both legs (BYE to the confirmed ones, CANCEL or a final response to the pending ones),
  // removes the media, writes the CDR. `cause` goes into the CDR and the Reason header.
  void end(const std::string& cause, int status_to_inbound = 0);

 private:
  // call_setup.cc
  void try_next_trunk();
  void send_outbound_invite(const Trunk& trunk, size_t target_index);
  void send_invite(sip::SipMessage invite, bool retry);
  void on_outbound_response(const sip::SipMessage& response);
  void on_outbound_failure(std::string_view reason);
  void on_outbound_provisional(const sip::SipMessage& response);
  void on_outbound_success(const sip::SipMessage& response);
  void on_outbound_rejected(const sip::SipMessage& response);
  bool answer_challenge(const sip::SipMessage& response);
  bool retry_after_422(const sip::SipMessage& response);
  void advance_or_fail(int status, const std::string& reason);
  void release_outbound_slot();
  void acknowledge_outbound(const sip::SipMessage& response);
  void send_inbound_provisional(int status, std::string_view reason, bool with_answer);
  void send_inbound_final(int status, std::string_view reason);
  void send_inbound_final(sip::SipMessage response);  // a refusal built by the caller
  void answer_inbound();
  sip::SipMessage inbound_response(int status, std::string_view reason, bool with_sdp);
  void start_no_answer_timer();

  // call_media.cc
  bool allocate_media();
  // nullopt when the outbound leg's interface has no free media port (on the call's worker).
  std::optional<std::string> offer_to_outbound();
  bool take_outbound_port();
  bool take_outbound_answer(const sip::SipMessage& response);
  bool make_inbound_answer();
  std::string offer_to_inbound();
  bool take_inbound_answer(const std::string& sdp_body);
  LegSide leg_side(InboundOrOutbound side);
  void sync_flows(std::function<void(bool ok)> then);
  void remove_flows(std::function<void()> then);
  void release_media();

  // call_dialog.cc
  Leg& leg(InboundOrOutbound side);
  void forward_request(InboundOrOutbound from, sip::ServerTransactionId tx,
                       const sip::SipMessage& request);
  void on_bye(InboundOrOutbound from, sip::ServerTransactionId tx, const sip::SipMessage& request);
  void on_offer_request(InboundOrOutbound from, sip::ServerTransactionId tx,
                        const sip::SipMessage& request);
  void on_relayed_offer_response(InboundOrOutbound to, const sip::SipMessage& response);
  void answer_locally(InboundOrOutbound side, sip::ServerTransactionId tx,
                      const sip::SipMessage& request, bool with_sdp);
  void send_offer_answer_ok(InboundOrOutbound side, sip::ServerTransactionId tx,
                            const sip::SipMessage& request);
  void on_prack(InboundOrOutbound from, sip::ServerTransactionId tx, const sip::SipMessage& request);
  void send_in_dialog(InboundOrOutbound to, sip::SipMessage request,
                      sip::ClientTransactionUser user);
  void send_bye(InboundOrOutbound to, const std::string& cause);
  void respond(sip::ServerTransactionId tx, int status, std::string_view reason,
               const sip::SipMessage& request);

  // call_end.cc
  static LocalMedia& bump(LocalMedia& local);
  CdrLeg& cdr_for(InboundOrOutbound side);
  void confirm();
  void start_session_timer(InboundOrOutbound side);
  void send_session_refresh(InboundOrOutbound side);
  void refresh_session_timer(InboundOrOutbound side, const sip::SipMessage& request,
                             sip::SipMessage& response);
  void finish(const std::string& cause, const std::string& ended_by);
  void write_cdr();

  // The event for the observer, with the call's identity filled in.
  CallEvent event(CallEvent::Kind kind) const;
  void on_dtmf(const channel::Event& event);

  B2bua& owner_;
  std::shared_ptr<const CpConfig> config_;
  uint64_t id_;
  CallIdentity identity_;
  const Route* route_;
  bool emergency_;
  size_t next_trunk_ = 0;  // index into route_->trunks of the next trunk to try
  const Trunk* counted_trunk_ = nullptr;  // the outbound trunk whose limits count this call
  CallState state_ = CallState::kRouting;
  InboundLeg in_;
  OutboundLeg out_;
  // Each leg's local media port; the outbound one is taken when the leg's address is known
  // (its trunk and target), on the worker the inbound one chose.
  std::optional<MediaPort> in_port_, out_port_;
  // What each direction's flows were last programmed with (inbound->outbound, then the reverse).
  ProgrammedFlows flows_[2];
  std::string last_failure_reason_;
  int last_failure_status_ = 0;
  CdrRecord cdr_;
  bool cdr_written_ = false;
  sip::TransactionTimer no_answer_timer_;
};

}  // namespace trunkgate::cp
