// The B2BUA: receives every request the transaction layer hands up, admits new calls (inbound
// trunk recognition, call limits, number normalization, routing), finds the call and leg that
// in-dialog requests belong to, and owns the calls and the services they use (SIP endpoint,
// data-plane flow programming, media ports, CDRs).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "controlplane/b2bua/call.h"
#include "controlplane/b2bua/call_events.h"
#include "controlplane/cdr/cdr.h"
#include "controlplane/config/cp_config.h"
#include "controlplane/limits/call_limiter.h"
#include "controlplane/logging/hostile_input_log.h"
#include "controlplane/media/flow_programmer.h"
#include "controlplane/media/media_interfaces.h"
#include "controlplane/media/port_allocator.h"
#include "controlplane/metrics/call_counters.h"
#include "controlplane/signaling/sip_endpoint.h"
#include "controlplane/trunks/inbound_authenticator.h"
#include "controlplane/trunks/inbound_classifier.h"
#include "sip/auth/digest_client.h"

namespace trunkgate::cp {

struct B2buaStats {
  uint64_t calls_offered = 0;
  uint64_t calls_answered = 0;
  uint64_t calls_ended = 0;
  uint64_t rejected_unknown_source = 0;
  uint64_t rejected_overload = 0;
  uint64_t rejected_no_route = 0;
  uint64_t rejected_number = 0;
  uint64_t rejected_media = 0;
  uint64_t rejected_draining = 0;
  uint64_t route_advances = 0;
  uint64_t media_timeouts = 0;
  uint64_t in_dialog_unknown = 0;  // 481s
  CallCounters calls;              // attempts and results per trunk
};

// Everything a call needs from outside, wired by main (and by tests).
struct B2buaServices {
  // The configuration new calls use; B2bua::reconfigure() replaces it (calls keep theirs).
  std::shared_ptr<const CpConfig> config;
  SipEndpoint* sip = nullptr;  // set once the endpoint exists (it needs the B2BUA's handlers)
  FlowProgrammer& flows;
  MediaPortAllocator& ports;
  const MediaInterfaces& interfaces;
  CdrWriter& cdr;
  // Trunk health from OPTIONS keepalive: routing skips trunks that are down.
  std::function<bool(const Trunk&)> trunk_up = [](const Trunk&) { return true; };
  // Call set-up, answer, end and DTMF, as they happen (empty: nobody listens).
  std::function<void(const CallEvent&)> on_call_event;
};

class B2bua {
 public:
  explicit B2bua(B2buaServices services);
  ~B2bua();

  // The transaction layer's user: install with SipEndpoint's constructor.
  sip::TransactionUser transaction_user();

  B2buaServices& services() { return services_; }
  // The configuration new calls get. Calls hold the one they started with (Call::config()), so
  // replacing it never changes or invalidates what an established call uses.
  const CpConfig& config() const { return *services_.config; }
  const std::shared_ptr<const CpConfig>& config_snapshot() const { return services_.config; }
  // A validated configuration for new calls: inbound recognition, routes and limits follow it at
  // once; calls in progress keep theirs.
  void reconfigure(std::shared_ptr<const CpConfig> config);
  // Drain: new INVITEs are refused with 503 (Retry-After); calls in progress go on.
  void set_draining(bool draining) { draining_ = draining; }
  bool draining() const { return draining_; }
  const std::unordered_map<uint64_t, std::shared_ptr<Call>>& calls() const { return calls_; }
  // Ends one call as end_all() does; false when there is no such call.
  bool hangup(uint64_t call, const std::string& cause);
  void notify(const CallEvent& event) const {
    if (services_.on_call_event) services_.on_call_event(event);
  }
  SipEndpoint& sip() { return *services_.sip; }
  const B2buaStats& stats() const { return stats_; }
  B2buaStats& mutable_stats() { return stats_; }
  size_t active_calls() const { return calls_.size(); }
  // Calls whose programmed media runs through the data plane's transcoder now.
  size_t transcoding_calls() const;
  HostileInputLog& hostile_log() { return hostile_log_; }
  const HostileInputLog& hostile_log() const { return hostile_log_; }

  // Ends every call (SIGTERM): BYE/CANCEL to every leg, flows removed, CDRs written.
  void end_all(const std::string& cause);

  // --- for calls ---
  // Registers the dialog (Call-ID, our tag) of a leg so in-dialog requests reach the call.
  void bind_leg(const std::string& call_id, const std::string& local_tag, uint64_t call,
                InboundOrOutbound side);
  void unbind_leg(const std::string& call_id, const std::string& local_tag);
  // The call is over (CDR written, flows removed): release its limiter counts and forget it.
  void forget(uint64_t call);
  sip::DigestClient& digest_client(const Trunk& trunk);
  // Admission for one more outbound attempt on `trunk` (its concurrency and rate limits).
  bool admit_outbound(const Trunk& trunk, bool emergency);
  void release_outbound(const Trunk& trunk);
  std::string new_tag();
  std::string new_call_id();

 private:
  void on_request(sip::ServerTransactionId tx, const sip::SipMessage& request,
                  const sip::ReceivedMessage& received);
  void on_new_invite(sip::ServerTransactionId tx, const sip::SipMessage& request,
                     const sip::ReceivedMessage& received);
  void on_out_of_dialog(sip::ServerTransactionId tx, const sip::SipMessage& request);
  void on_cancel(sip::ServerTransactionId invite);
  void on_ack(const sip::SipMessage& ack);
  void on_stray_response(const sip::SipMessage& response);
  void reject(sip::ServerTransactionId tx, const sip::SipMessage& request, int status,
              std::string_view reason, unsigned retry_after_s = 0);
  // The trunk a new INVITE belongs to; nullptr when it was answered (403 or 407).
  const Trunk* recognise(sip::ServerTransactionId tx, const sip::SipMessage& request,
                         const sip::ReceivedMessage& received);
  // Answers `status` and writes the attempt's CDR; `why` goes into the log line.
  void refuse(sip::ServerTransactionId tx, const sip::SipMessage& request, const Trunk& trunk,
              const CallIdentity* identity, int status, std::string_view reason,
              unsigned retry_after_s, std::string_view why);
  std::shared_ptr<Call> find(const std::string& call_id, std::string_view local_tag,
                             InboundOrOutbound* side);
  CallLimiter& trunk_limiter(const Trunk& trunk);

  B2buaServices services_;
  std::unique_ptr<InboundClassifier> classifier_;
  std::unique_ptr<InboundAuthenticator> authenticator_;
  bool draining_ = false;
  B2buaStats stats_;
  HostileInputLog hostile_log_;
  CallLimiter gateway_limiter_;
  std::map<std::string, CallLimiter> trunk_limiters_;
  std::map<std::string, std::pair<sip::CredentialStore, std::unique_ptr<sip::DigestClient>>>
      digest_;
  std::unordered_map<uint64_t, std::shared_ptr<Call>> calls_;
  struct LegRef {
    uint64_t call;
    InboundOrOutbound side;
  };
  std::unordered_map<std::string, LegRef> legs_;  // call-id '\n' local tag
  std::unordered_map<sip::ServerTransactionId, uint64_t> pending_invites_;  // for CANCEL
  uint64_t next_call_ = 1;
  uint64_t tag_counter_ = 0;
  std::string tag_seed_;
};

}  // namespace trunkgate::cp
