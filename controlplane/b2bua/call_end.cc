// Confirming a call, its session timers, and ending it: both legs told, media removed with its
// final counters, one CDR written.

#include "controlplane/b2bua/b2bua.h"
#include "controlplane/b2bua/call.h"
#include "controlplane/b2bua/sip_responses.h"
#include "controlplane/logging/log_fields.h"
#include "sip/transaction/hop_request.h"

namespace trunkgate::cp {
namespace {

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LocalMedia& Call::bump(LocalMedia& local) {
  ++local.version;  // RFC 3264 8: every new SDP of a session increments o= version
  return local;
}

CdrLeg& Call::cdr_for(InboundOrOutbound side) {
  return side == InboundOrOutbound::kInbound ? cdr_.inbound : cdr_.outbound;
}

CallEvent Call::event(CallEvent::Kind kind) const {
  CallEvent e;
  e.kind = kind;
  e.call = id_;
  e.inbound_trunk = in_.trunk != nullptr ? in_.trunk->name : "";
  e.calling = identity_.calling;
  e.called = identity_.called.e164();
  return e;
}

void Call::confirm() {
  if (state_ == CallState::kEnded) return;
  state_ = CallState::kConfirmed;
  if (in_.timer_agreement) start_session_timer(InboundOrOutbound::kInbound);
  if (out_.timer_agreement) start_session_timer(InboundOrOutbound::kOutbound);
  // Media timeout applies from now on (sync_flows enables it once both legs are settled).
  sync_flows([](bool) {});
}

// RFC 4028 10: the refresher refreshes at half the interval; when no refresh arrives the other
// side ends the session. The gateway runs each leg's timer on its own.
void Call::start_session_timer(InboundOrOutbound side) {
  Leg& l = leg(side);
  const bool we_are_uac = side == InboundOrOutbound::kOutbound;
  l.we_refresh = (l.timer_agreement->refresher == sip::Refresher::kUac) == we_are_uac;
  std::weak_ptr<Call> weak = weak_from_this();
  if (!l.session_timer) {
    l.session_timer = std::make_unique<sip::SessionTimer>(
        owner_.sip().scheduler(),
        [weak, side] {
          if (auto self = weak.lock()) self->send_session_refresh(side);
        },
        [weak, side] {
          if (auto self = weak.lock())
            self->end("session timer expired on the " + std::string(side_name(side)) + " side", 0);
        });
  }
  l.session_timer->Start(*l.timer_agreement, l.we_refresh);
}

// An UPDATE without SDP refreshes the session without touching the media (RFC 4028 9).
void Call::send_session_refresh(InboundOrOutbound side) {
  Leg& l = leg(side);
  if (!l.dialog || state_ != CallState::kConfirmed) return;
  sip::SipMessage update = l.dialog->MakeRequest("UPDATE");
  update.add_header(sip::HeaderId::kContact,
                    make_contact(owner_.sip().local_hostport(l.target), l.target));
  update.add_header(sip::HeaderId::kSupported, "timer");
  update.add_header(sip::HeaderId::kSessionExpires,
                    std::to_string(l.timer_agreement->interval) +
                        (side == InboundOrOutbound::kOutbound ? ";refresher=uac" : ";refresher=uas"));
  std::weak_ptr<Call> weak = weak_from_this();
  sip::ClientTransactionUser user;
  user.on_response = [weak, side](const sip::SipMessage& r) {
    auto self = weak.lock();
    if (!self || r.status_code() < 200) return;
    if (r.status_code() < 300) return self->start_session_timer(side);
    // RFC 4028 10: a 408 or 481 to a refresh ends the session; other errors leave it running.
    if (r.status_code() == 408 || r.status_code() == 481)
      return self->end("session refresh rejected", 0);
    self->start_session_timer(side);
  };
  user.on_failure = [weak](std::string_view) {
    if (auto self = weak.lock()) self->end("session refresh timed out", 0);
  };
  send_in_dialog(side, std::move(update), std::move(user));
}

// A refresh from the peer (or any target refresh carrying session-timer headers) restarts the
// leg's timer with what the two sides agree now.
void Call::refresh_session_timer(InboundOrOutbound side, const sip::SipMessage& request,
                                 sip::SipMessage& response) {
  Leg& l = leg(side);
  if (!l.trunk->session_timer || !l.timer_agreement) return;
  sip::SessionTimerConfig config{l.trunk->session_timer->expires_s,
                                 l.trunk->session_timer->min_se_s};
  sip::UasSessionTimerDecision decision = sip::DecideAsUas(request, config);
  if (!decision.agreement) return;
  sip::ApplyToResponse(decision, response);
  l.timer_agreement = decision.agreement;
  // In this exchange the peer is the UAC: the roles of RFC 4028 are per request.
  const bool peer_refreshes = decision.agreement->refresher == sip::Refresher::kUac;
  l.we_refresh = !peer_refreshes;
  if (l.session_timer) l.session_timer->Start(*l.timer_agreement, l.we_refresh);
}

void Call::end(const std::string& cause, int status_to_inbound) {
  if (state_ == CallState::kEnded) return;
  if (!in_.final_sent) {
    send_inbound_final(status_to_inbound ? status_to_inbound : 500,
                       status_to_inbound == 408   ? "Request Timeout"
                       : status_to_inbound == 488 ? "Not Acceptable Here"
                       : status_to_inbound == 503 ? "Service Unavailable"
                                                  : "Server Internal Error");
  } else {
    send_bye(InboundOrOutbound::kInbound, cause);
  }
  if (out_.invite_pending) {
    if (out_.provisional_seen) owner_.sip().send_request(sip::MakeCancel(out_.invite), out_.target, {});
    else out_.cancel_wanted = true;
  } else {
    send_bye(InboundOrOutbound::kOutbound, cause);
  }
  finish(cause, "gateway");
}

void Call::finish(const std::string& cause, const std::string& ended_by) {
  if (state_ == CallState::kEnded) return;
  state_ = CallState::kEnded;
  no_answer_timer_.Stop();
  for (Leg* l : {static_cast<Leg*>(&in_), static_cast<Leg*>(&out_)}) {
    if (l->session_timer) l->session_timer->Stop();
  }
  release_outbound_slot();
  cdr_.ended_by = ended_by;
  if (cdr_.inbound.disconnect_cause.empty() && ended_by != "outbound")
    cdr_.inbound.disconnect_cause = cause;
  if (cdr_.outbound.disconnect_cause.empty() && ended_by != "inbound")
    cdr_.outbound.disconnect_cause = cause;
  if (cdr_.outbound.disconnect_cause.empty()) cdr_.outbound.disconnect_cause = cause;
  if (cdr_.inbound.disconnect_cause.empty()) cdr_.inbound.disconnect_cause = cause;
  logkv::debug("call ended", "call", id_, "ended_by", ended_by, "cause", cause);  // CDR has it
  CallEvent ended = event(CallEvent::Kind::kEnd);
  ended.cause = cause;
  owner_.notify(ended);
  std::weak_ptr<Call> weak = weak_from_this();
  remove_flows([weak] {
    auto self = weak.lock();
    if (!self) return;
    self->write_cdr();
    self->release_media();
    self->owner_.forget(self->id_);
  });
}

void Call::write_cdr() {
  if (cdr_written_) return;
  cdr_written_ = true;
  cdr_.end_ms = unix_ms();
  owner_.services().cdr.write(cdr_);
  owner_.mutable_stats().calls.inbound_result(in_.trunk->name, cdr_.final_status);
}

}  // namespace trunkgate::cp
