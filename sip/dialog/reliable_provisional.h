// RFC 3262 reliable provisional responses. The UAS side numbers them (RSeq), retransmits each
// until its PRACK arrives, and holds back the next one until then; the UAC side decides which
// reliable 1xx to deliver and PRACK, and builds the RAck.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sip/message/message.h"
#include "sip/transaction/transaction_context.h"

namespace trunkgate::sip {

class ReliableProvisionalSender {
 public:
  // `send` hands a 1xx to the INVITE server transaction; `on_timeout` fires when a 1xx stays
  // unacknowledged for 64*T1 (the UAS then rejects the INVITE with a 5xx, RFC 3262 section 3).
  ReliableProvisionalSender(TimerScheduler& scheduler, TransactionTimers timers,
                            std::uint32_t invite_cseq, std::function<bool(const SipMessage&)> send,
                            std::function<void()> on_timeout);

  // Adds Require: 100rel and RSeq, sends, and retransmits with T1 doubling. False while an
  // earlier reliable 1xx is still unacknowledged (section 3 forbids a second one).
  bool Send(SipMessage provisional);
  // True if the PRACK's RAck acknowledges the outstanding 1xx (answer it 200); false means 481.
  bool OnPrack(const SipMessage& prack);
  bool awaiting_prack() const { return outstanding_rseq_.has_value(); }

 private:
  void Retransmit();

  std::function<bool(const SipMessage&)> send_;
  std::function<void()> on_timeout_;
  TransactionTimers timers_;
  std::uint32_t invite_cseq_;
  std::uint32_t next_rseq_;
  std::optional<std::uint32_t> outstanding_rseq_;
  std::optional<SipMessage> outstanding_;
  std::chrono::milliseconds interval_;
  TransactionTimer retransmit_, give_up_;
};

class ReliableProvisionalReceiver {
 public:
  enum class Verdict {
    kUnreliable,   // no 100rel: deliver, no PRACK
    kAcknowledge,  // deliver and send a PRACK with RAck()
    kDuplicate,    // already seen: drop (its PRACK transaction handles retransmissions)
    kOutOfOrder,   // a gap in RSeq: drop until the missing one arrives (section 4)
  };

  // Per early dialog: `response` is a 1xx to the INVITE.
  Verdict OnProvisional(const SipMessage& response);
  // The RAck value acknowledging `response`: "<RSeq> <CSeq number> INVITE".
  static std::optional<std::string> RAck(const SipMessage& response);

 private:
  std::optional<std::uint32_t> last_rseq_;
};

}  // namespace trunkgate::sip
