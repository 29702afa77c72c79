#include "sip/dialog/invite_2xx_retransmitter.h"

#include <algorithm>

namespace trunkgate::sip {

Invite2xxRetransmitter::Invite2xxRetransmitter(TimerScheduler& scheduler, TransactionTimers timers,
                                               MessageSender& sender,
                                               std::function<void()> on_no_ack)
    : timers_(timers),
      sender_(sender),
      on_no_ack_(std::move(on_no_ack)),
      retransmit_(scheduler),
      give_up_(scheduler) {}

void Invite2xxRetransmitter::Start(const TransportTarget& target, std::string response_bytes) {
  target_ = target;
  bytes_ = std::move(response_bytes);
  interval_ = timers_.t1;
  // Reliable transports deliver the 2xx; we still wait for the ACK to know the call is up.
  if (!target_.reliable()) retransmit_.Start(interval_, [this] { Retransmit(); });
  give_up_.Start(timers_.timeout(), [this] {
    retransmit_.Stop();
    if (on_no_ack_) on_no_ack_();
  });
}

void Invite2xxRetransmitter::Retransmit() {
  sender_.Send(target_, bytes_);
  interval_ = std::min(2 * interval_, timers_.t2);
  retransmit_.Start(interval_, [this] { Retransmit(); });
}

void Invite2xxRetransmitter::OnAck() {
  retransmit_.Stop();
  give_up_.Stop();
}

}  // namespace trunkgate::sip
