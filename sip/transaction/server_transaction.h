// Server transactions (RFC 3261 17.2): INVITE (timers G, H, I; RFC 6026 Accepted state with
// timer L) and non-INVITE (timer J). Both absorb request retransmissions by resending the last
// response.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sip/message/message.h"
#include "sip/transaction/transaction_context.h"

namespace trunkgate::sip {

class ServerTransaction {
 public:
  virtual ~ServerTransaction() = default;
  ServerTransaction(const ServerTransaction&) = delete;
  ServerTransaction& operator=(const ServerTransaction&) = delete;

  // A request with this transaction's key arrived again (a retransmission, or the ACK).
  virtual void OnRequest(const SipMessage& request) = 0;
  // Sends a response from the TU; false if the state does not allow it or the transport failed.
  virtual bool Respond(const SipMessage& response) = 0;
  // True once a final response was sent.
  virtual bool answered() const = 0;

  bool terminated() const { return terminated_; }
  const SipMessage& request() const { return request_; }

 protected:
  // `on_failure` reports timer H (no ACK) and transport errors.
  ServerTransaction(TransactionContext context, SipMessage request, TransportTarget target,
                    std::function<void(std::string_view)> on_failure);

  bool Transmit(std::string_view bytes);
  void Terminate();
  std::chrono::milliseconds Unreliable(std::chrono::milliseconds duration) const {
    return target_.reliable() ? std::chrono::milliseconds(0) : duration;
  }

  TransactionContext context_;
  SipMessage request_;
  TransportTarget target_;
  std::function<void(std::string_view)> on_failure_;
  std::string last_response_;
  bool terminated_ = false;
};

class InviteServerTransaction final : public ServerTransaction {
 public:
  enum class State { kProceeding, kAccepted, kCompleted, kConfirmed, kTerminated };

  InviteServerTransaction(TransactionContext context, SipMessage request, TransportTarget target,
                          std::function<void(std::string_view)> on_failure);
  void OnRequest(const SipMessage& request) override;
  bool Respond(const SipMessage& response) override;
  bool answered() const override { return state_ != State::kProceeding; }
  State state() const { return state_; }

 private:
  void OnTimerG();
  void EndAfter(std::chrono::milliseconds delay);

  State state_ = State::kProceeding;
  std::chrono::milliseconds interval_g_;
  TransactionTimer timer_g_, timer_h_, timer_end_;
};

class NonInviteServerTransaction final : public ServerTransaction {
 public:
  enum class State { kTrying, kProceeding, kCompleted, kTerminated };

  NonInviteServerTransaction(TransactionContext context, SipMessage request, TransportTarget target,
                             std::function<void(std::string_view)> on_failure);
  void OnRequest(const SipMessage& request) override;
  bool Respond(const SipMessage& response) override;
  bool answered() const override { return state_ == State::kCompleted; }
  State state() const { return state_; }

 private:
  State state_ = State::kTrying;
  TransactionTimer timer_j_;
};

}  // namespace trunkgate::sip
