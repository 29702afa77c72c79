#include "sip/transaction/client_transaction.h"

#include <algorithm>

#include "sip/transaction/hop_request.h"

namespace trunkgate::sip {

ClientTransaction::ClientTransaction(TransactionContext context, SipMessage request,
                                     TransportTarget target, ClientTransactionUser user)
    : context_(std::move(context)),
      request_(std::move(request)),
      request_bytes_(request_.serialize()),
      target_(std::move(target)),
      user_(std::move(user)) {}

bool ClientTransaction::Transmit(std::string_view bytes) {
  if (context_.sender.Send(target_, bytes)) return true;
  Fail("transport error");
  return false;
}

void ClientTransaction::Deliver(const SipMessage& response) {
  if (user_.on_response) user_.on_response(response);
}

void ClientTransaction::Fail(std::string_view reason) {
  if (terminated_) return;
  if (user_.on_failure) user_.on_failure(reason);
  Terminate();
}

void ClientTransaction::Terminate() {
  if (terminated_) return;
  terminated_ = true;
  if (context_.on_terminated) context_.on_terminated();
}

InviteClientTransaction::InviteClientTransaction(TransactionContext context, SipMessage request,
                                                 TransportTarget target, ClientTransactionUser user)
    : ClientTransaction(std::move(context), std::move(request), std::move(target), std::move(user)),
      interval_a_(context_.timers.t1),
      timer_a_(context_.scheduler),
      timer_b_(context_.scheduler),
      timer_d_(context_.scheduler),
      timer_m_(context_.scheduler) {}

void InviteClientTransaction::Start() {
  if (!Transmit(request_bytes_)) return;
  // Reliable transports retransmit for us; timer A only runs over UDP.
  if (!target_.reliable()) timer_a_.Start(interval_a_, [this] { OnTimerA(); });
  timer_b_.Start(context_.timers.timeout(), [this] {
    state_ = State::kTerminated;
    Fail("timer B: no response");
  });
}

void InviteClientTransaction::OnTimerA() {
  if (!Transmit(request_bytes_)) return;
  interval_a_ *= 2;
  timer_a_.Start(interval_a_, [this] { OnTimerA(); });
}

void InviteClientTransaction::OnResponse(const SipMessage& response) {
  const int code = response.status_code();
  switch (state_) {
    case State::kCalling:
    case State::kProceeding:
      timer_a_.Stop();
      if (code < 200) {
        timer_b_.Stop();  // from here the TU's timer C governs how long we wait
        state_ = State::kProceeding;
        Deliver(response);
      } else if (code < 300) {
        // RFC 6026: stay to pass 2xx retransmissions from other forks to the TU, which ACKs.
        timer_b_.Stop();
        state_ = State::kAccepted;
        Deliver(response);
        timer_m_.Start(context_.timers.timeout(), [this] {
          state_ = State::kTerminated;
          Terminate();
        });
      } else {
        OnFinalFailure(response);
      }
      return;
    case State::kAccepted:
      if (code >= 200 && code < 300) Deliver(response);
      return;
    case State::kCompleted:
      if (code >= 300) Transmit(ack_bytes_);  // our ACK was lost: send it again, absorb
      return;
    case State::kTerminated:
      return;
  }
}

void InviteClientTransaction::OnFinalFailure(const SipMessage& response) {
  timer_b_.Stop();
  state_ = State::kCompleted;
  ack_bytes_ = MakeAck(response).serialize();
  if (!Transmit(ack_bytes_)) return;
  Deliver(response);
  const auto linger = target_.reliable() ? std::chrono::milliseconds(0) : context_.timers.timer_d();
  timer_d_.Start(linger, [this] {
    state_ = State::kTerminated;
    Terminate();
  });
}

SipMessage InviteClientTransaction::MakeAck(const SipMessage& response) const {
  return MakeSameHopRequest(request_, "ACK", response.find(HeaderId::kTo).value_or(""));
}

NonInviteClientTransaction::NonInviteClientTransaction(TransactionContext context,
                                                       SipMessage request, TransportTarget target,
                                                       ClientTransactionUser user)
    : ClientTransaction(std::move(context), std::move(request), std::move(target), std::move(user)),
      interval_e_(context_.timers.t1),
      timer_e_(context_.scheduler),
      timer_f_(context_.scheduler),
      timer_k_(context_.scheduler) {}

void NonInviteClientTransaction::Start() {
  if (!Transmit(request_bytes_)) return;
  if (!target_.reliable()) timer_e_.Start(interval_e_, [this] { OnTimerE(); });
  timer_f_.Start(context_.timers.timeout(), [this] {
    state_ = State::kTerminated;
    Fail("timer F: no final response");
  });
}

void NonInviteClientTransaction::OnTimerE() {
  if (!Transmit(request_bytes_)) return;
  // Trying doubles up to T2; Proceeding retransmits every T2 (17.1.2.2).
  interval_e_ =
      state_ == State::kTrying ? std::min(2 * interval_e_, context_.timers.t2) : context_.timers.t2;
  timer_e_.Start(interval_e_, [this] { OnTimerE(); });
}

void NonInviteClientTransaction::OnResponse(const SipMessage& response) {
  if (state_ != State::kTrying && state_ != State::kProceeding) return;  // absorbed
  if (response.status_code() < 200) {
    state_ = State::kProceeding;
    Deliver(response);
    return;
  }
  timer_e_.Stop();
  timer_f_.Stop();
  state_ = State::kCompleted;
  Deliver(response);
  const auto linger = target_.reliable() ? std::chrono::milliseconds(0) : context_.timers.t4;
  timer_k_.Start(linger, [this] {
    state_ = State::kTerminated;
    Terminate();
  });
}

}  // namespace trunkgate::sip
