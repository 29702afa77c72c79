// Call set-up: the outbound INVITE, route advance, digest answers, and mapping the outbound
// leg's responses onto the inbound leg.

#include "controlplane/b2bua/b2bua.h"
#include "controlplane/b2bua/call.h"
#include "controlplane/b2bua/sip_responses.h"
#include "controlplane/logging/log_fields.h"
#include "sip/auth/auth_header_adapter.h"
#include "sip/transaction/hop_request.h"

namespace trunkgate::cp {
namespace {

// Timer C (RFC 3261 16.6 step 11): how long a ringing outbound leg may stay unanswered.
constexpr auto kNoAnswerTimeout = std::chrono::seconds(180);

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// RFC 3261 16.7 item 6: a 503 from downstream is not passed on as a 503 (it would tell the
// caller that the gateway itself is overloaded).
int status_after_exhausted_route(int last) {
  if (last == 0) return 503;  // no trunk could be tried at all: the gateway cannot serve it
  if (last == 503) return 500;
  return last;
}

}  // namespace

Call::Call(B2bua& owner, std::shared_ptr<const CpConfig> config, uint64_t id, CallIdentity identity,
           const Route* route, bool emergency)
    : owner_(owner),
      config_(std::move(config)),
      id_(id),
      identity_(std::move(identity)),
      route_(route),
      emergency_(emergency),
      no_answer_timer_(owner.sip().scheduler()) {
  cdr_.id = std::to_string(id);
  cdr_.setup_ms = unix_ms();
  cdr_.calling = identity_.calling;
  cdr_.called = identity_.called.e164();
}

Call::~Call() = default;

void Call::start() {
  const sip::SipMessage& invite = in_.invite;
  cdr_.inbound.trunk = in_.trunk->name;
  cdr_.inbound.call_id = in_.call_id;
  in_.requires_100rel = invite.has_option_tag(sip::HeaderId::kRequire, "100rel");
  owner_.notify(event(CallEvent::Kind::kSetup));
  owner_.sip().transactions().Respond(in_.invite_tx, make_local_response(invite, 100, "Trying", {}));
  if (!invite.body().empty()) {
    std::string error;
    in_.offer = read_stream(invite.body(), error);
    if (!in_.offer) {
      logkv::info("inbound offer refused", "call", id_, "error", error);
      ++owner_.mutable_stats().rejected_media;
      return end("bad SDP: " + error, 488);
    }
    in_.peer_sdp_version = in_.offer->origin_version;
  }
  if (in_.trunk->session_timer) {
    sip::SessionTimerConfig config{in_.trunk->session_timer->expires_s,
                                   in_.trunk->session_timer->min_se_s};
    in_.timer_decision = sip::DecideAsUas(invite, config);
    if (in_.timer_decision->reject_with_min_se) {
      sip::SipMessage too_small = inbound_response(422, "Session Interval Too Small", false);
      too_small.add_header(sip::HeaderId::kMinSE,
                           std::to_string(*in_.timer_decision->reject_with_min_se));
      send_inbound_final(std::move(too_small));
      return finish("422 Session Interval Too Small", "gateway");
    }
  }
  if (!allocate_media()) {
    ++owner_.mutable_stats().rejected_media;
    return end("no media ports", 503);
  }
  try_next_trunk();
}

void Call::try_next_trunk() {
  while (route_ != nullptr && next_trunk_ < route_->trunks.size()) {
    const Trunk* trunk = config_->trunk(route_->trunks[next_trunk_++]);
    if (trunk == nullptr) continue;
    if (!owner_.services().trunk_up(*trunk)) {
      logkv::info("trunk down (OPTIONS), skipped", "call", id_, "trunk", trunk->name);
      continue;
    }
    if (!owner_.admit_outbound(*trunk, emergency_)) {
      logkv::info("trunk at its limits, skipped", "call", id_, "trunk", trunk->name);
      last_failure_status_ = last_failure_status_ ? last_failure_status_ : 503;
      continue;
    }
    counted_trunk_ = trunk;
    std::weak_ptr<Call> weak = weak_from_this();
    owner_.sip().resolve(*trunk, [weak, trunk](std::vector<sip::TransportTarget> targets) {
      auto self = weak.lock();
      if (!self || self->state_ == CallState::kEnded) return;
      if (targets.empty()) {
        self->release_outbound_slot();
        return self->advance_or_fail(503, "trunk " + trunk->name + ": peer does not resolve");
      }
      self->out_.targets = std::move(targets);
      self->send_outbound_invite(*trunk, 0);
    });
    return;
  }
  const int status = status_after_exhausted_route(last_failure_status_);
  logkv::info("route exhausted", "call", id_, "status", status, "last_failure",
              last_failure_reason_);
  end(last_failure_reason_.empty() ? "no usable trunk" : last_failure_reason_, status);
}

void Call::send_outbound_invite(const Trunk& trunk, size_t target_index) {
  if (!out_.call_id.empty()) owner_.unbind_leg(out_.call_id, out_.local_tag);
  // A fresh leg per attempt (new Call-ID and tags), keeping the trunk's resolved targets.
  std::vector<sip::TransportTarget> targets = std::move(out_.targets);
  out_ = OutboundLeg{};
  out_.targets = std::move(targets);
  out_.target_index = target_index;
  const sip::TransportTarget& target = out_.targets[target_index];
  out_.trunk = &trunk;
  out_.target = target;
  out_.call_id = owner_.new_call_id();
  out_.local_tag = owner_.new_tag();
  owner_.bind_leg(out_.call_id, out_.local_tag, id_, InboundOrOutbound::kOutbound);
  cdr_.outbound = CdrLeg{};
  cdr_.outbound.trunk = trunk.name;
  cdr_.outbound.call_id = out_.call_id;
  owner_.mutable_stats().calls.outbound_attempt(trunk.name);

  const std::string hostport = owner_.sip().local_hostport(target);
  const std::string local_host = hostport.substr(0, hostport.rfind(':'));
  const std::string peer = trunk.peer_port ? trunk.peer_host + ":" + std::to_string(trunk.peer_port)
                                           : trunk.peer_host;
  OutboundIdentity who = write_identity(identity_, trunk, peer, local_host, out_.local_tag);
  sip::SipMessage invite = sip::SipMessage::make_request("INVITE", who.request_uri);
  invite.add_header(sip::HeaderId::kVia, owner_.sip().make_via(target));
  const auto inbound_hops = in_.invite.max_forwards();
  invite.add_header(sip::HeaderId::kMaxForwards,
                    std::to_string(inbound_hops ? std::min(*inbound_hops - 1, 70u) : 70u));
  invite.add_header(sip::HeaderId::kFrom, who.from);
  invite.add_header(sip::HeaderId::kTo, who.to);
  invite.add_header(sip::HeaderId::kCallId, out_.call_id);
  invite.add_header(sip::HeaderId::kCSeq, std::to_string(out_.cseq) + " INVITE");
  invite.add_header(sip::HeaderId::kContact, make_contact(hostport, target));
  for (const auto& [name, value] : who.headers) invite.add_header(name, value);
  invite.add_header(sip::HeaderId::kAllow, kAllow);
  invite.add_header(sip::HeaderId::kSupported, trunk.session_timer ? "100rel, timer" : "100rel");
  if (trunk.session_timer) {
    out_.timer_config = sip::SessionTimerConfig{trunk.session_timer->expires_s,
                                                trunk.session_timer->min_se_s};
    sip::ApplyToRequest(*out_.timer_config, invite);
  }
  invite.add_header(sip::HeaderId::kUserAgent, kUserAgent);
  const auto offer = offer_to_outbound();
  if (!offer) {
    ++owner_.mutable_stats().rejected_media;
    return end("no media ports", 503);
  }
  invite.set_body("application/sdp", *offer);
  out_.invite = std::move(invite);

  // The flow toward the inbound peer is keyed on the port our offer names: it must exist
  // before the offer leaves, or the first packets of an early answer would be lost.
  std::weak_ptr<Call> weak = weak_from_this();
  sync_flows([weak](bool ok) {
    auto self = weak.lock();
    if (!self || self->state_ == CallState::kEnded) return;
    if (!ok) return self->end("data plane refused the flows", 500);
    self->send_invite(self->out_.invite, false);
  });
}

// Sends `invite` (the first one, or a retry after 401/407/422 with CSeq + 1 and a new branch,
// RFC 3261 22.2 / RFC 4028 7.4) as the outbound leg's pending INVITE.
void Call::send_invite(sip::SipMessage invite, bool retry) {
  if (retry) {  // a new transaction needs a new branch and CSeq
    invite.remove_headers(sip::HeaderId::kVia);
    invite.prepend_header(sip::HeaderId::kVia, owner_.sip().make_via(out_.target));
    invite.set_header(sip::HeaderId::kCSeq, std::to_string(++out_.cseq) + " INVITE");
  }
  out_.invite = std::move(invite);
  std::weak_ptr<Call> weak = weak_from_this();
  sip::ClientTransactionUser user;
  user.on_response = [weak](const sip::SipMessage& r) {
    if (auto s = weak.lock()) s->on_outbound_response(r);
  };
  user.on_failure = [weak](std::string_view reason) {
    if (auto s = weak.lock()) s->on_outbound_failure(reason);
  };
  out_.invite_pending = true;
  if (!owner_.sip().send_request(out_.invite, out_.target, std::move(user)))
    on_outbound_failure("no transport toward the trunk");
}

void Call::on_outbound_response(const sip::SipMessage& response) {
  if (state_ == CallState::kEnded) {
    // A 2xx racing our CANCEL or the end of the call: confirm and hang up at once.
    if (response.status_code() >= 200 && response.status_code() < 300) {
      acknowledge_outbound(response);
      send_bye(InboundOrOutbound::kOutbound, "call already ended");
    }
    return;
  }
  const int code = response.status_code();
  if (code < 200) return on_outbound_provisional(response);
  if (code < 300) return on_outbound_success(response);
  on_outbound_rejected(response);
}

void Call::on_outbound_failure(std::string_view reason) {
  if (!out_.invite_pending) return;
  out_.invite_pending = false;
  logkv::info("outbound INVITE failed", "call", id_, "trunk", out_.trunk->name, "reason", reason);
  owner_.mutable_stats().calls.outbound_failure(
      out_.trunk->name,
      reason.find("transport") != std::string_view::npos ? "transport_error" : "timeout");
  if (state_ == CallState::kEnded) return;
  // Timer B or a transport error: the next target of the same trunk first (RFC 3263 4.3).
  if (out_.target_index + 1 < out_.targets.size())
    return send_outbound_invite(*out_.trunk, out_.target_index + 1);
  release_outbound_slot();
  advance_or_fail(reason == "transport error" ? 503 : 408,
                  "trunk " + out_.trunk->name + ": " + std::string(reason));
}

void Call::release_outbound_slot() {
  if (counted_trunk_ != nullptr) owner_.release_outbound(*counted_trunk_);
  counted_trunk_ = nullptr;
}

void Call::advance_or_fail(int status, const std::string& reason) {
  last_failure_status_ = status;
  last_failure_reason_ = reason;
  if (in_.final_sent || state_ == CallState::kEnded) return;
  ++owner_.mutable_stats().route_advances;
  try_next_trunk();
}

void Call::on_outbound_provisional(const sip::SipMessage& response) {
  const int code = response.status_code();
  out_.provisional_seen = true;
  if (out_.cancel_wanted) {
    owner_.sip().send_request(sip::MakeCancel(out_.invite), out_.target, {});
    out_.cancel_wanted = false;
    return;
  }
  if (code == 100) return;
  start_no_answer_timer();
  auto to = response.to();
  if (to && !to->tag().empty() && (!out_.dialog || out_.dialog->remote_tag() != to->tag()))
    out_.dialog = sip::Dialog::CreateAsUac(out_.invite, response);
  switch (out_.prack_receiver.OnProvisional(response)) {
    case sip::ReliableProvisionalReceiver::Verdict::kDuplicate:
    case sip::ReliableProvisionalReceiver::Verdict::kOutOfOrder:
      return;
    case sip::ReliableProvisionalReceiver::Verdict::kAcknowledge:
      if (out_.dialog) {
        sip::SipMessage prack = out_.dialog->MakeRequest("PRACK");
        prack.add_header(sip::HeaderId::kRAck,
                         sip::ReliableProvisionalReceiver::RAck(response).value_or(""));
        send_in_dialog(InboundOrOutbound::kOutbound, std::move(prack), {});
      }
      break;
    case sip::ReliableProvisionalReceiver::Verdict::kUnreliable:
      break;
  }
  if (state_ == CallState::kRouting) state_ = CallState::kEarly;
  const bool early_answer = !response.body().empty() && !out_.media_known && in_.offer;
  if (!early_answer) return send_inbound_provisional(code, response.reason_phrase(), false);
  if (!take_outbound_answer(response)) return send_inbound_provisional(code, "Ringing", false);
  if (!make_inbound_answer()) return end("no codec bridgeable to the inbound offer", 488);
  std::weak_ptr<Call> weak = weak_from_this();
  std::string reason(response.reason_phrase());
  sync_flows([weak, code, reason](bool ok) {
    auto self = weak.lock();
    if (!self || self->state_ == CallState::kEnded) return;
    if (!ok) return self->end("data plane refused the flows", 500);
    self->send_inbound_provisional(code, reason, true);
  });
}

void Call::start_no_answer_timer() {
  std::weak_ptr<Call> weak = weak_from_this();
  no_answer_timer_.Start(kNoAnswerTimeout, [weak] {
    if (auto self = weak.lock()) self->end("no answer", 408);
  });
}

void Call::on_outbound_success(const sip::SipMessage& response) {
  if (out_.answered) {  // a retransmitted 2xx: our ACK was lost
    if (out_.last_ack) owner_.sip().send_stateless(*out_.last_ack, out_.target);
    return;
  }
  out_.answered = true;
  out_.invite_pending = false;
  owner_.mutable_stats().calls.outbound_response(out_.trunk->name, response.status_code());
  no_answer_timer_.Stop();
  out_.dialog = sip::Dialog::CreateAsUac(out_.invite, response);
  acknowledge_outbound(response);
  if (out_.cancel_wanted) {  // the caller gave up while the callee answered
    send_bye(InboundOrOutbound::kOutbound, "caller cancelled");
    return finish("CANCEL", "inbound");
  }
  cdr_.answer_ms = unix_ms();
  if (out_.timer_config) {
    out_.timer_agreement = sip::AgreementFromResponse(response);
  }
  if (!out_.media_known && !take_outbound_answer(response)) {
    send_bye(InboundOrOutbound::kOutbound, "unusable SDP answer");
    return end("unusable SDP answer from " + out_.trunk->name, 488);
  }
  state_ = CallState::kAnswering;
  const bool delayed_offer = !in_.offer;
  if (!delayed_offer && in_.answer_sdp.empty() && !make_inbound_answer()) {
    send_bye(InboundOrOutbound::kOutbound, "no common codec");
    return end("no codec bridgeable to the inbound offer", 488);
  }
  if (delayed_offer) in_.last_sdp_sent = offer_to_inbound();
  std::weak_ptr<Call> weak = weak_from_this();
  sync_flows([weak](bool ok) {
    auto self = weak.lock();
    if (!self || self->state_ == CallState::kEnded) return;
    if (!ok) {
      self->send_bye(InboundOrOutbound::kOutbound, "media set-up failed");
      return self->end("data plane refused the flows", 500);
    }
    self->answer_inbound();
  });
}

void Call::acknowledge_outbound(const sip::SipMessage& response) {
  if (!out_.dialog) out_.dialog = sip::Dialog::CreateAsUac(out_.invite, response);
  if (!out_.dialog) return;
  auto cseq = response.cseq();
  sip::SipMessage ack = out_.dialog->MakeAck(cseq ? cseq->number : out_.cseq);
  owner_.sip().send_stateless(ack, out_.target);
  out_.last_ack = std::move(ack);
}

void Call::on_outbound_rejected(const sip::SipMessage& response) {
  out_.invite_pending = false;
  no_answer_timer_.Stop();
  const int code = response.status_code();
  if ((code == 401 || code == 407) && !out_.cancel_wanted && answer_challenge(response)) return;
  if (code == 422 && out_.timer_config && retry_after_422(response)) return;
  owner_.mutable_stats().calls.outbound_response(out_.trunk->name, code);
  release_outbound_slot();
  cdr_.outbound.disconnect_cause =
      std::to_string(code) + " " + std::string(response.reason_phrase());
  if (in_.final_sent || state_ == CallState::kEnded) return finish("CANCEL", "inbound");
  // Route advance: the next trunk may succeed where this one timed out or failed as a server
  // (408, 5xx). A 4xx/6xx is about the call itself (busy, number unknown, declined): another
  // trunk would give the same answer, so it goes back to the caller.
  if (code == 408 || (code >= 500 && code < 600)) {
    return advance_or_fail(code, "trunk " + out_.trunk->name + ": " + std::to_string(code) + " " +
                                     std::string(response.reason_phrase()));
  }
  send_inbound_final(code, response.reason_phrase());
  finish(std::to_string(code) + " " + std::string(response.reason_phrase()), "outbound");
}

bool Call::answer_challenge(const sip::SipMessage& response) {
  const bool proxy = response.status_code() == 407;
  if (!out_.trunk->outbound_credentials || out_.auth_attempts >= 2) return false;
  auto headers = response.auth_headers(proxy ? sip::HeaderId::kProxyAuthenticate
                                             : sip::HeaderId::kWwwAuthenticate);
  if (!headers || headers->empty()) return false;
  auto challenge = sip::ChallengeFromHeader(headers->front());
  if (!challenge) return false;
  const sip::HeaderId answer_header =
      proxy ? sip::HeaderId::kProxyAuthorization : sip::HeaderId::kAuthorization;
  const bool had = out_.invite.find(answer_header).has_value();
  sip::DigestAnswer answer = owner_.digest_client(*out_.trunk)
                                 .Answer(*challenge, "INVITE", out_.invite.request_uri_text(), had);
  if (!answer.credentials) {
    logkv::warn("challenge not answerable (wrong credentials?)", "call", id_, "trunk",
                out_.trunk->name);
    return false;
  }
  ++out_.auth_attempts;
  sip::SipMessage again = out_.invite;
  again.set_header(answer_header, answer.credentials->ToHeaderValue());
  out_.prack_receiver = sip::ReliableProvisionalReceiver{};
  send_invite(std::move(again), true);
  return true;
}

// RFC 4028 7.4: a 422 names the smallest interval the peer accepts; retry once with it.
bool Call::retry_after_422(const sip::SipMessage& response) {
  auto retry = sip::RetryAfter422(*out_.timer_config, response);
  if (!retry || out_.timer_config->session_expires >= retry->session_expires) return false;
  sip::SipMessage again = out_.invite;
  again.remove_headers(sip::HeaderId::kSessionExpires);
  again.remove_headers(sip::HeaderId::kMinSE);
  sip::ApplyToRequest(*retry, again);
  out_.timer_config = retry;
  send_invite(std::move(again), true);
  return true;
}

void Call::on_inbound_cancel() {
  if (in_.final_sent) return;
  send_inbound_final(487, "Request Terminated");
  cdr_.inbound.disconnect_cause = "CANCEL";
  if (out_.invite_pending) {
    if (out_.provisional_seen) {
      owner_.sip().send_request(sip::MakeCancel(out_.invite), out_.target, {});
    } else {
      out_.cancel_wanted = true;  // RFC 3261 9.1: no CANCEL before a provisional response
      return;                     // the outcome of the INVITE ends the call
    }
  }
  finish("CANCEL", "inbound");
}

sip::SipMessage Call::inbound_response(int status, std::string_view reason, bool with_sdp) {
  sip::SipMessage response = make_local_response(in_.invite, status, reason, in_.local_tag);
  if (status > 100 && status < 300) {
    // RFC 3261 12.1.1: the UAS copies Record-Route into responses that create the dialog.
    for (std::string_view rr : in_.invite.fields(sip::HeaderId::kRecordRoute))
      response.add_header(sip::HeaderId::kRecordRoute, rr);
  }
  if (status > 100) {
    response.add_header(sip::HeaderId::kContact,
                        make_contact(owner_.sip().local_hostport(in_.target), in_.target));
    response.add_header(sip::HeaderId::kAllow, kAllow);
  }
  if (with_sdp) {
    const std::string& sdp = in_.offer ? in_.answer_sdp : in_.last_sdp_sent;
    response.set_body("application/sdp", sdp);
  }
  return response;
}

void Call::send_inbound_provisional(int status, std::string_view reason, bool with_answer) {
  if (in_.final_sent) return;
  sip::SipMessage response = inbound_response(status, reason, with_answer);
  if (!in_.dialog) {
    in_.dialog = sip::Dialog::CreateAsUas(in_.invite, in_.local_tag, sip::DialogState::kEarly);
  }
  if (in_.requires_100rel) {
    if (!in_.reliable) {
      std::weak_ptr<Call> weak = weak_from_this();
      const uint32_t cseq = in_.invite.cseq() ? in_.invite.cseq()->number : 1;
      in_.reliable = std::make_unique<sip::ReliableProvisionalSender>(
          owner_.sip().scheduler(), owner_.sip().timers(), cseq,
          [weak](const sip::SipMessage& m) {
            auto self = weak.lock();
            return self && self->owner_.sip().transactions().Respond(self->in_.invite_tx, m);
          },
          [weak] {
            if (auto self = weak.lock()) self->end("no PRACK for a reliable provisional", 504);
          });
    }
    in_.reliable->Send(std::move(response));  // false while one is unacknowledged: dropped
    return;
  }
  owner_.sip().transactions().Respond(in_.invite_tx, response);
}

void Call::send_inbound_final(int status, std::string_view reason) {
  if (in_.final_sent) return;
  sip::SipMessage response = inbound_response(status, reason, false);
  if (status == 503 || status == 500) response.add_header(sip::HeaderId::kReason, "SIP;cause=" + std::to_string(status));
  send_inbound_final(std::move(response));
}

// Every final refusal of the inbound INVITE goes through here, so the CDR and the call-result
// metric always carry the status the PBX was sent.
void Call::send_inbound_final(sip::SipMessage response) {
  if (in_.final_sent) return;
  in_.final_sent = true;
  cdr_.final_status = response.status_code();
  owner_.sip().transactions().Respond(in_.invite_tx, response);
}

void Call::answer_inbound() {
  if (in_.final_sent) return;
  sip::SipMessage ok = inbound_response(200, "OK", true);
  if (in_.timer_decision && in_.timer_decision->agreement) {
    sip::ApplyToResponse(*in_.timer_decision, ok);
    in_.timer_agreement = in_.timer_decision->agreement;
  }
  in_.final_sent = true;
  cdr_.final_status = 200;
  ++owner_.mutable_stats().calls_answered;
  owner_.notify(event(CallEvent::Kind::kAnswer));
  if (!in_.dialog || in_.dialog->state() != sip::DialogState::kConfirmed)
    in_.dialog = sip::Dialog::CreateAsUas(in_.invite, in_.local_tag, sip::DialogState::kConfirmed);
  owner_.sip().transactions().Respond(in_.invite_tx, ok);
  std::weak_ptr<Call> weak = weak_from_this();
  in_.retransmit_2xx = std::make_unique<sip::Invite2xxRetransmitter>(
      owner_.sip().scheduler(), owner_.sip().timers(), owner_.sip().sender(), [weak] {
        if (auto self = weak.lock()) self->end("no ACK for the 2xx", 0);
      });
  in_.retransmit_2xx->Start(in_.target, ok.serialize());
  if (in_.offer) state_ = CallState::kConfirmed;  // else: the ACK brings the answer
}

}  // namespace trunkgate::cp
