// Client transactions (RFC 3261 17.1): INVITE (timers A, B, D; ACK for non-2xx generated here;
// RFC 6026 Accepted state with timer M) and non-INVITE (timers E, F, K).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sip/message/message.h"
#include "sip/transaction/transaction_context.h"

namespace trunkgate::sip {

struct ClientTransactionUser {
  std::function<void(const SipMessage& response)> on_response;
  // Timer B/F expired (treat as 408) or the transport failed (treat as 503, try the next target).
  std::function<void(std::string_view reason)> on_failure;
};

class ClientTransaction {
 public:
  virtual ~ClientTransaction() = default;
  ClientTransaction(const ClientTransaction&) = delete;
  ClientTransaction& operator=(const ClientTransaction&) = delete;

  // Sends the request and starts the timers.
  virtual void Start() = 0;
  virtual void OnResponse(const SipMessage& response) = 0;
  void OnTransportError() { Fail("transport error"); }
  // Still waiting for a final response, so a lost connection matters to it.
  virtual bool awaiting_final() const = 0;

  bool terminated() const { return terminated_; }
  const SipMessage& request() const { return request_; }
  const TransportTarget& target() const { return target_; }

 protected:
  ClientTransaction(TransactionContext context, SipMessage request, TransportTarget target,
                    ClientTransactionUser user);

  // Sends `bytes`; a transport error ends the transaction.
  bool Transmit(std::string_view bytes);
  void Deliver(const SipMessage& response);
  void Fail(std::string_view reason);
  void Terminate();

  TransactionContext context_;
  SipMessage request_;
  std::string request_bytes_;
  TransportTarget target_;
  ClientTransactionUser user_;
  bool terminated_ = false;
};

class InviteClientTransaction final : public ClientTransaction {
 public:
  enum class State { kCalling, kProceeding, kAccepted, kCompleted, kTerminated };

  InviteClientTransaction(TransactionContext context, SipMessage request, TransportTarget target,
                          ClientTransactionUser user);
  void Start() override;
  void OnResponse(const SipMessage& response) override;
  bool awaiting_final() const override {
    return state_ == State::kCalling || state_ == State::kProceeding;
  }
  State state() const { return state_; }

 private:
  void OnTimerA();
  void OnFinalFailure(const SipMessage& response);
  // RFC 3261 17.1.1.3: the ACK to a non-2xx final response.
  SipMessage MakeAck(const SipMessage& response) const;

  State state_ = State::kCalling;
  std::chrono::milliseconds interval_a_;
  std::string ack_bytes_;
  TransactionTimer timer_a_, timer_b_, timer_d_, timer_m_;
};

class NonInviteClientTransaction final : public ClientTransaction {
 public:
  enum class State { kTrying, kProceeding, kCompleted, kTerminated };

  NonInviteClientTransaction(TransactionContext context, SipMessage request, TransportTarget target,
                             ClientTransactionUser user);
  void Start() override;
  void OnResponse(const SipMessage& response) override;
  bool awaiting_final() const override {
    return state_ == State::kTrying || state_ == State::kProceeding;
  }
  State state() const { return state_; }

 private:
  void OnTimerE();

  State state_ = State::kTrying;
  std::chrono::milliseconds interval_e_;
  TransactionTimer timer_e_, timer_f_, timer_k_;
};

}  // namespace trunkgate::sip
