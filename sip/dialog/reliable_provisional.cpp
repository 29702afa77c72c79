#include "sip/dialog/reliable_provisional.h"

#include <openssl/rand.h>

namespace trunkgate::sip {
namespace {

// RFC 3262 section 3: the first RSeq is random in 1 .. 2^31 - 1.
std::uint32_t RandomInitialRSeq() {
  std::uint32_t value = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value);
  return (value % 0x7fffffffu) + 1;
}

}  // namespace

ReliableProvisionalSender::ReliableProvisionalSender(TimerScheduler& scheduler,
                                                     TransactionTimers timers,
                                                     std::uint32_t invite_cseq,
                                                     std::function<bool(const SipMessage&)> send,
                                                     std::function<void()> on_timeout)
    : send_(std::move(send)),
      on_timeout_(std::move(on_timeout)),
      timers_(timers),
      invite_cseq_(invite_cseq),
      next_rseq_(RandomInitialRSeq()),
      interval_(timers.t1),
      retransmit_(scheduler),
      give_up_(scheduler) {}

bool ReliableProvisionalSender::Send(SipMessage provisional) {
  if (outstanding_rseq_) return false;
  const std::uint32_t rseq = next_rseq_++;
  provisional.add_header(HeaderId::kRequire, "100rel");
  provisional.add_header(HeaderId::kRSeq, std::to_string(rseq));
  if (!send_(provisional)) return false;
  outstanding_rseq_ = rseq;
  outstanding_ = std::move(provisional);
  interval_ = timers_.t1;
  retransmit_.Start(interval_, [this] { Retransmit(); });
  give_up_.Start(timers_.timeout(), [this] {
    retransmit_.Stop();
    outstanding_rseq_.reset();
    outstanding_.reset();
    if (on_timeout_) on_timeout_();
  });
  return true;
}

// Reliable 1xx are retransmitted end to end even over TCP (section 3), with T1 doubling.
void ReliableProvisionalSender::Retransmit() {
  if (!outstanding_) return;
  send_(*outstanding_);
  interval_ *= 2;
  retransmit_.Start(interval_, [this] { Retransmit(); });
}

bool ReliableProvisionalSender::OnPrack(const SipMessage& prack) {
  const auto rack = prack.rack();
  if (!rack.ok() || !outstanding_rseq_ || rack->rseq != *outstanding_rseq_ ||
      rack->cseq != invite_cseq_ || rack->method != "INVITE") {
    return false;
  }
  retransmit_.Stop();
  give_up_.Stop();
  outstanding_rseq_.reset();
  outstanding_.reset();
  return true;
}

ReliableProvisionalReceiver::Verdict ReliableProvisionalReceiver::OnProvisional(
    const SipMessage& response) {
  const auto rseq = response.rseq();
  if (!response.has_option_tag(HeaderId::kRequire, "100rel") || !rseq.ok()) {
    return Verdict::kUnreliable;
  }
  if (last_rseq_ && *rseq <= *last_rseq_) return Verdict::kDuplicate;
  if (last_rseq_ && *rseq != *last_rseq_ + 1) return Verdict::kOutOfOrder;
  last_rseq_ = *rseq;
  return Verdict::kAcknowledge;
}

std::optional<std::string> ReliableProvisionalReceiver::RAck(const SipMessage& response) {
  const auto rseq = response.rseq();
  const auto cseq = response.cseq();
  if (!rseq.ok() || !cseq.ok()) return std::nullopt;
  return std::to_string(*rseq) + " " + std::to_string(cseq->number) + " " +
         std::string(cseq->method);
}

}  // namespace trunkgate::sip
