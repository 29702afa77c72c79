// In-dialog traffic of an established (or early) call: BYE from either side, re-INVITE and UPDATE
// in both directions (hold/resume, codec change, session refresh), PRACK toward the gateway,
// ACKs, and requests the gateway only relays (INFO, NOTIFY, in-dialog OPTIONS).

#include "controlplane/b2bua/b2bua.h"
#include "controlplane/b2bua/call.h"
#include "controlplane/b2bua/sip_responses.h"
#include "controlplane/logging/log_fields.h"

namespace trunkgate::cp {
namespace {

// Headers an in-dialog request keeps when the gateway relays it to the other leg: the ones that
// say what the body is; everything else (Via, Route, Contact, identities) is the gateway's own.
constexpr sip::HeaderId kRelayedHeaders[] = {sip::HeaderId::kEvent,
                                             sip::HeaderId::kSubscriptionState};

}  // namespace

Leg& Call::leg(InboundOrOutbound side) {
  return side == InboundOrOutbound::kInbound ? static_cast<Leg&>(in_) : static_cast<Leg&>(out_);
}

void Call::respond(sip::ServerTransactionId tx, int status, std::string_view reason,
                   const sip::SipMessage& request) {
  owner_.sip().transactions().Respond(tx, make_local_response(request, status, reason, {}));
}

void Call::on_request(InboundOrOutbound side, sip::ServerTransactionId tx,
                      const sip::SipMessage& request) {
  Leg& from = leg(side);
  if (state_ == CallState::kEnded) return respond(tx, 481, "Call/Transaction Does Not Exist", request);
  if (from.dialog && !from.dialog->OnRemoteRequest(request))
    return respond(tx, 500, "CSeq Out of Order", request);
  switch (request.method()) {
    case sip::Method::kBye:
      return on_bye(side, tx, request);
    case sip::Method::kInvite:
    case sip::Method::kUpdate:
      return on_offer_request(side, tx, request);
    case sip::Method::kPrack:
      return on_prack(side, tx, request);
    default:
      return forward_request(side, tx, request);
  }
}

void Call::on_bye(InboundOrOutbound from, sip::ServerTransactionId tx,
                  const sip::SipMessage& request) {
  respond(tx, 200, "OK", request);
  leg(from).retransmit_2xx.reset();
  cdr_for(from).disconnect_cause = "BYE";
  if (from == InboundOrOutbound::kOutbound && !in_.final_sent) {
    // The callee hung up before the caller saw the answer (ACK still pending on our side).
    send_inbound_final(480, "Temporarily Unavailable");
  } else {
    send_bye(other(from), "BYE from the " + std::string(side_name(from)) + " side");
  }
  finish("BYE", side_name(from));
}

void Call::on_prack(InboundOrOutbound from, sip::ServerTransactionId tx,
                    const sip::SipMessage& request) {
  // PRACK is hop-by-hop: the gateway sent the reliable provisional, the gateway acknowledges.
  if (from != InboundOrOutbound::kInbound || !in_.reliable || !in_.reliable->OnPrack(request))
    return respond(tx, 481, "Call/Transaction Does Not Exist", request);
  respond(tx, 200, "OK", request);
}

// re-INVITE / UPDATE. Without SDP: a session refresh (UPDATE) or an offerless re-INVITE, handled
// on this leg alone. With an unchanged SDP (same o= version): a refresh too. Otherwise the offer
// goes to the other leg as the gateway's own offer, and its answer comes back as ours.
void Call::on_offer_request(InboundOrOutbound side, sip::ServerTransactionId tx,
                            const sip::SipMessage& request) {
  Leg& from = leg(side);
  const bool invite = request.method() == sip::Method::kInvite;
  if (state_ != CallState::kConfirmed && invite)
    return respond(tx, 491, "Request Pending", request);
  if (request.body().empty()) {
    if (!invite) return answer_locally(side, tx, request, false);
    from.offer_answer.OnLocalOffer();
    from.last_sdp_sent =
        make_offer(preferring(from.media.codec, *from.trunk), *from.trunk, bump(from.local),
                   MediaDirection::kSendRecv, from.offered, leg(other(side)).media.cn_pt);
    return answer_locally(side, tx, request, true);  // the ACK brings the answer
  }
  std::string error;
  auto offer = read_stream(request.body(), error);
  if (!offer) return respond(tx, 488, "Not Acceptable Here", request);
  if (offer->origin_version == from.peer_sdp_version)
    return answer_locally(side, tx, request, true);
  switch (from.offer_answer.OnRemoteOffer()) {
    case sip::OfferAnswerState::Verdict::kGlare:
      return respond(tx, 491, "Request Pending", request);
    case sip::OfferAnswerState::Verdict::kRetryLater: {
      sip::SipMessage later = make_local_response(request, 500, "Server Internal Error", {});
      later.add_header(sip::HeaderId::kRetryAfter,
                       std::to_string(sip::OfferAnswerState::RetryAfterSeconds()));
      owner_.sip().transactions().Respond(tx, later);
      return;
    }
    case sip::OfferAnswerState::Verdict::kAccept:
      break;
  }
  Leg& to = leg(other(side));
  if (!to.dialog || !to.offer_answer.CanSendOffer()) {
    from.offer_answer.OnLocalAnswer();
    return respond(tx, 491, "Request Pending", request);
  }
  from.pending = PendingOffer{tx, request, *offer};
  from.peer_sdp_version = offer->origin_version;
  auto codecs = codecs_to_offer(&*offer, from.trunk, *to.trunk);
  // Keep the codec already running on the other leg first: a hold must not become a codec change.
  for (size_t i = 1; i < codecs.size(); ++i)
    if (codecs[i] == to.media.codec) std::rotate(codecs.begin(), codecs.begin() + i, codecs.begin() + i + 1);
  sip::SipMessage relayed = to.dialog->MakeRequest(request.method_text());
  relayed.add_header(sip::HeaderId::kContact,
                     make_contact(owner_.sip().local_hostport(to.target), to.target));
  relayed.add_header(sip::HeaderId::kAllow, kAllow);
  to.last_sdp_sent =
      make_offer(codecs, *to.trunk, bump(to.local), offer->direction, to.offered, offer->cn_pt);
  relayed.set_body("application/sdp", to.last_sdp_sent);
  to.offer_answer.OnLocalOffer();
  std::weak_ptr<Call> weak = weak_from_this();
  const InboundOrOutbound to_side = other(side);
  sip::ClientTransactionUser user;
  user.on_response = [weak, to_side](const sip::SipMessage& r) {
    if (auto self = weak.lock()) self->on_relayed_offer_response(to_side, r);
  };
  user.on_failure = [weak, to_side](std::string_view reason) {
    auto self = weak.lock();
    if (!self) return;
    logkv::info("re-offer failed", "call", self->id_, "side", side_name(to_side), "reason", reason);
    self->end("re-INVITE to the " + std::string(side_name(to_side)) + " side failed", 0);
  };
  send_in_dialog(to_side, std::move(relayed), std::move(user));
}

// The other leg answered the offer the gateway relayed: answer the leg that made it.
void Call::on_relayed_offer_response(InboundOrOutbound to_side, const sip::SipMessage& response) {
  const int code = response.status_code();
  if (code < 200) return;
  Leg& to = leg(to_side);
  Leg& from = leg(other(to_side));
  auto cseq = response.cseq();
  const bool invite = cseq && cseq->method == "INVITE";
  if (code >= 300) {
    to.offer_answer.OnRemoteAnswerOrRejection();
    if (!from.pending) return;
    PendingOffer pending = std::move(*from.pending);
    from.pending.reset();
    from.offer_answer.OnLocalAnswer();
    respond(pending.tx, code, response.reason_phrase(), pending.request);
    if (code == 408 || code == 481) end("dialog gone on the " + std::string(side_name(to_side)) + " side", 0);
    return;
  }
  if (invite) {
    if (to.last_ack && to.last_ack->cseq() && to.last_ack->cseq()->number == cseq->number) {
      owner_.sip().send_stateless(*to.last_ack, to.target);  // retransmitted 2xx
      return;
    }
    sip::SipMessage ack = to.dialog->MakeAck(cseq->number);
    owner_.sip().send_stateless(ack, to.target);
    to.last_ack = std::move(ack);
  }
  if (!from.pending) return;
  std::string error;
  auto answer = read_stream(response.body(), error);
  LegMedia media;
  if (!answer || !read_answer(*answer, to.offered, *to.trunk, media, error)) {
    logkv::info("answer to the relayed offer refused", "call", id_, "error", error);
    PendingOffer pending = std::move(*from.pending);
    from.pending.reset();
    from.offer_answer.OnLocalAnswer();
    return respond(pending.tx, 488, "Not Acceptable Here", pending.request);
  }
  to.offer_answer.OnRemoteAnswerOrRejection();
  to.media = media;
  to.peer_sdp_version = answer->origin_version;
  LegMedia answered;
  auto sdp = make_answer(from.pending->offer, *from.trunk, preferring(media.codec, *from.trunk),
                         bump(from.local), media.direction, answered, error, media);
  PendingOffer pending = std::move(*from.pending);
  from.pending.reset();
  from.offer_answer.OnLocalAnswer();
  if (!sdp) return respond(pending.tx, 488, "Not Acceptable Here", pending.request);
  from.media = answered;
  from.last_sdp_sent = *sdp;
  std::weak_ptr<Call> weak = weak_from_this();
  const InboundOrOutbound from_side = other(to_side);
  sync_flows([weak, from_side, pending = std::move(pending)](bool ok) {
    auto self = weak.lock();
    if (!self || self->state_ == CallState::kEnded) return;
    if (!ok) return self->respond(pending.tx, 500, "Media Update Failed", pending.request);
    self->send_offer_answer_ok(from_side, pending.tx, pending.request);
  });
}

// 200 OK from the gateway itself on one leg: with our last SDP when the request is an INVITE or
// carried one (a refresh or an offerless re-INVITE), and the session timer renewed.
void Call::answer_locally(InboundOrOutbound side, sip::ServerTransactionId tx,
                          const sip::SipMessage& request, bool with_sdp) {
  Leg& from = leg(side);
  if (with_sdp && from.last_sdp_sent.empty()) return respond(tx, 488, "Not Acceptable Here", request);
  if (!with_sdp) {
    sip::SipMessage ok = make_local_response(request, 200, "OK", {});
    refresh_session_timer(side, request, ok);
    owner_.sip().transactions().Respond(tx, ok);
    return;
  }
  send_offer_answer_ok(side, tx, request);
}

void Call::send_offer_answer_ok(InboundOrOutbound side, sip::ServerTransactionId tx,
                                const sip::SipMessage& request) {
  Leg& from = leg(side);
  sip::SipMessage ok = make_local_response(request, 200, "OK", {});
  ok.add_header(sip::HeaderId::kContact,
                make_contact(owner_.sip().local_hostport(from.target), from.target));
  ok.add_header(sip::HeaderId::kAllow, kAllow);
  ok.set_body("application/sdp", from.last_sdp_sent);
  refresh_session_timer(side, request, ok);
  owner_.sip().transactions().Respond(tx, ok);
  if (request.method() != sip::Method::kInvite) return;
  std::weak_ptr<Call> weak = weak_from_this();
  from.retransmit_2xx = std::make_unique<sip::Invite2xxRetransmitter>(
      owner_.sip().scheduler(), owner_.sip().timers(), owner_.sip().sender(), [weak] {
        if (auto self = weak.lock()) self->end("no ACK for the 2xx", 0);
      });
  from.retransmit_2xx->Start(from.target, ok.serialize());
}

void Call::on_ack(InboundOrOutbound side, const sip::SipMessage& ack) {
  Leg& from = leg(side);
  if (from.retransmit_2xx) from.retransmit_2xx->OnAck();
  if (ack.body().empty()) {
    if (side == InboundOrOutbound::kInbound && state_ == CallState::kAnswering && in_.offer)
      confirm();
    return;
  }
  // The answer to the offer the gateway put in its 2xx (delayed offer, RFC 3261 13.2.1).
  const bool initial = side == InboundOrOutbound::kInbound && state_ == CallState::kAnswering;
  bool ok = initial ? take_inbound_answer(std::string(ack.body())) : false;
  if (!initial) {
    std::string error;
    auto answer = read_stream(ack.body(), error);
    LegMedia media;
    ok = answer && read_answer(*answer, from.offered, *from.trunk, media, error);
    if (ok) {
      from.offer_answer.OnRemoteAnswerOrRejection();
      from.media = media;
      from.peer_sdp_version = answer->origin_version;
    }
  }
  if (!ok) return end("unusable SDP answer in the ACK", 0);
  std::weak_ptr<Call> weak = weak_from_this();
  sync_flows([weak, initial](bool flows_ok) {
    auto self = weak.lock();
    if (!self || self->state_ == CallState::kEnded) return;
    if (!flows_ok) return self->end("data plane refused the flows", 0);
    if (initial) self->confirm();
  });
}

void Call::on_stray_response(const sip::SipMessage& response) {
  // A 2xx to an INVITE of ours whose transaction has ended: the ACK was lost.
  if (response.status_code() < 200 || response.status_code() >= 300) return;
  if (out_.last_ack) owner_.sip().send_stateless(*out_.last_ack, out_.target);
}

void Call::forward_request(InboundOrOutbound side, sip::ServerTransactionId tx,
                           const sip::SipMessage& request) {
  Leg& to = leg(other(side));
  if (!to.dialog || request.method() == sip::Method::kAck)
    return respond(tx, 481, "Call/Transaction Does Not Exist", request);
  sip::SipMessage relayed = to.dialog->MakeRequest(request.method_text());
  for (sip::HeaderId id : kRelayedHeaders)
    for (std::string_view value : request.fields(id)) relayed.add_header(id, value);
  if (!request.body().empty()) {
    auto type = request.find(sip::HeaderId::kContentType);
    relayed.set_body(type ? *type : "application/octet-stream", request.body());
  }
  std::weak_ptr<Call> weak = weak_from_this();
  auto original = std::make_shared<sip::SipMessage>(request);
  sip::ClientTransactionUser user;
  user.on_response = [weak, tx, original](const sip::SipMessage& r) {
    auto self = weak.lock();
    if (!self || r.status_code() < 200) return;
    sip::SipMessage mapped =
        make_local_response(*original, r.status_code(), r.reason_phrase(), {});
    if (!r.body().empty()) {
      auto type = r.find(sip::HeaderId::kContentType);
      mapped.set_body(type ? *type : "application/octet-stream", r.body());
    }
    self->owner_.sip().transactions().Respond(tx, mapped);
  };
  user.on_failure = [weak, tx, original](std::string_view) {
    if (auto self = weak.lock()) self->respond(tx, 408, "Request Timeout", *original);
  };
  send_in_dialog(other(side), std::move(relayed), std::move(user));
}

void Call::send_in_dialog(InboundOrOutbound to, sip::SipMessage request,
                          sip::ClientTransactionUser user) {
  Leg& l = leg(to);
  request.add_header(sip::HeaderId::kUserAgent, kUserAgent);
  owner_.sip().send_request(std::move(request), l.target, std::move(user));
}

void Call::send_bye(InboundOrOutbound to, const std::string& cause) {
  Leg& l = leg(to);
  if (!l.dialog) return;
  sip::SipMessage bye = l.dialog->MakeRequest("BYE");
  // RFC 3326: why the gateway ends the call; Q.850 16 is normal clearing.
  bye.add_header(sip::HeaderId::kReason, "Q.850;cause=16;text=\"" + cause + "\"");
  send_in_dialog(to, std::move(bye), {});
  l.dialog.reset();
}

}  // namespace trunkgate::cp
