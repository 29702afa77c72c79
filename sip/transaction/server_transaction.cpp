#include "sip/transaction/server_transaction.h"

#include <algorithm>

namespace trunkgate::sip {

ServerTransaction::ServerTransaction(TransactionContext context, SipMessage request,
                                     TransportTarget target,
                                     std::function<void(std::string_view)> on_failure)
    : context_(std::move(context)),
      request_(std::move(request)),
      target_(std::move(target)),
      on_failure_(std::move(on_failure)) {}

bool ServerTransaction::Transmit(std::string_view bytes) {
  if (context_.sender.Send(target_, bytes)) return true;
  if (on_failure_) on_failure_("transport error");
  Terminate();
  return false;
}

void ServerTransaction::Terminate() {
  if (terminated_) return;
  terminated_ = true;
  if (context_.on_terminated) context_.on_terminated();
}

InviteServerTransaction::InviteServerTransaction(TransactionContext context, SipMessage request,
                                                 TransportTarget target,
                                                 std::function<void(std::string_view)> on_failure)
    : ServerTransaction(std::move(context), std::move(request), std::move(target),
                        std::move(on_failure)),
      interval_g_(context_.timers.t1),
      timer_g_(context_.scheduler),
      timer_h_(context_.scheduler),
      timer_end_(context_.scheduler) {}

void InviteServerTransaction::OnRequest(const SipMessage& request) {
  const bool is_ack = request.method() == Method::kAck;
  if (state_ == State::kCompleted && is_ack) {
    timer_g_.Stop();
    timer_h_.Stop();
    state_ = State::kConfirmed;
    EndAfter(Unreliable(context_.timers.t4));  // timer I: absorb ACK retransmissions
    return;
  }
  // A retransmitted INVITE gets the last response again (17.2.1); everything else is absorbed.
  const bool resend = !is_ack && (state_ == State::kProceeding || state_ == State::kCompleted);
  if (resend && !last_response_.empty()) Transmit(last_response_);
}

bool InviteServerTransaction::Respond(const SipMessage& response) {
  if (state_ != State::kProceeding) return false;
  last_response_ = response.serialize();
  if (!Transmit(last_response_)) return false;
  const int code = response.status_code();
  if (code < 200) return true;
  if (code < 300) {
    // RFC 6026: the TU retransmits its 2xx; we absorb INVITE retransmissions until timer L.
    state_ = State::kAccepted;
    EndAfter(context_.timers.timeout());
    return true;
  }
  state_ = State::kCompleted;
  if (!target_.reliable()) timer_g_.Start(interval_g_, [this] { OnTimerG(); });
  timer_h_.Start(context_.timers.timeout(), [this] {
    timer_g_.Stop();
    state_ = State::kTerminated;
    if (on_failure_) on_failure_("timer H: no ACK");
    Terminate();
  });
  return true;
}

void InviteServerTransaction::OnTimerG() {
  if (!Transmit(last_response_)) return;
  interval_g_ = std::min(2 * interval_g_, context_.timers.t2);
  timer_g_.Start(interval_g_, [this] { OnTimerG(); });
}

void InviteServerTransaction::EndAfter(std::chrono::milliseconds delay) {
  timer_end_.Start(delay, [this] {
    state_ = State::kTerminated;
    Terminate();
  });
}

NonInviteServerTransaction::NonInviteServerTransaction(
    TransactionContext context, SipMessage request, TransportTarget target,
    std::function<void(std::string_view)> on_failure)
    : ServerTransaction(std::move(context), std::move(request), std::move(target),
                        std::move(on_failure)),
      timer_j_(context_.scheduler) {}

void NonInviteServerTransaction::OnRequest(const SipMessage&) {
  // Trying absorbs silently; later states repeat the last response (17.2.2).
  if (state_ != State::kTrying && !last_response_.empty()) Transmit(last_response_);
}

bool NonInviteServerTransaction::Respond(const SipMessage& response) {
  if (state_ == State::kCompleted || state_ == State::kTerminated) return false;
  last_response_ = response.serialize();
  if (!Transmit(last_response_)) return false;
  if (response.status_code() < 200) {
    state_ = State::kProceeding;
    return true;
  }
  state_ = State::kCompleted;
  timer_j_.Start(Unreliable(context_.timers.timeout()), [this] {
    state_ = State::kTerminated;
    Terminate();
  });
  return true;
}

}  // namespace trunkgate::sip
