// Who owes whom an SDP answer in a dialog, for the overlap rules of RFC 3261 14.2 (re-INVITE)
// and RFC 3311 5.2 (UPDATE): an offer arriving while ours is unanswered is glare (491 Request
// Pending); one arriving while we still owe an answer gets 500 with a random Retry-After of 0 to
// 10 seconds.
#pragma once

#include <cstdint>

namespace trunkgate::sip {

class OfferAnswerState {
 public:
  enum class Verdict {
    kAccept,      // process the offer; we now owe an answer
    kGlare,       // answer 491
    kRetryLater,  // answer 500 with Retry-After: RetryAfterSeconds()
  };

  Verdict OnRemoteOffer();
  void OnLocalAnswer() { awaiting_local_answer_ = false; }

  // False while either side's offer is unanswered.
  bool CanSendOffer() const { return !awaiting_remote_answer_ && !awaiting_local_answer_; }
  void OnLocalOffer() { awaiting_remote_answer_ = true; }
  // The peer answered, or rejected the request carrying our offer: either way it is settled.
  void OnRemoteAnswerOrRejection() { awaiting_remote_answer_ = false; }

  static std::uint32_t RetryAfterSeconds();

 private:
  bool awaiting_remote_answer_ = false;
  bool awaiting_local_answer_ = false;
};

}  // namespace trunkgate::sip
