// RFC 3261 13.3.1.4: the UAS core, not the transaction, retransmits its 2xx to an INVITE until the
// ACK arrives (T1 doubling up to T2 over UDP) and gives up after 64*T1, when the dialog must end.
#pragma once

#include <functional>
#include <string>

#include "sip/transaction/transaction_context.h"

namespace trunkgate::sip {

class Invite2xxRetransmitter {
 public:
  Invite2xxRetransmitter(TimerScheduler& scheduler, TransactionTimers timers, MessageSender& sender,
                         std::function<void()> on_no_ack);

  // Call after the transaction sent the 2xx once.
  void Start(const TransportTarget& target, std::string response_bytes);
  void OnAck();
  bool waiting() const { return give_up_.running(); }

 private:
  void Retransmit();

  TransactionTimers timers_;
  MessageSender& sender_;
  std::function<void()> on_no_ack_;
  TransportTarget target_;
  std::string bytes_;
  std::chrono::milliseconds interval_{};
  TransactionTimer retransmit_, give_up_;
};

}  // namespace trunkgate::sip
