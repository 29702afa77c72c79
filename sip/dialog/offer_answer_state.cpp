#include "sip/dialog/offer_answer_state.h"

#include <openssl/rand.h>

namespace trunkgate::sip {

OfferAnswerState::Verdict OfferAnswerState::OnRemoteOffer() {
  if (awaiting_remote_answer_) return Verdict::kGlare;
  if (awaiting_local_answer_) return Verdict::kRetryLater;
  awaiting_local_answer_ = true;
  return Verdict::kAccept;
}

std::uint32_t OfferAnswerState::RetryAfterSeconds() {
  unsigned char byte = 0;
  RAND_bytes(&byte, 1);
  return byte % 11;  // 0 .. 10 inclusive
}

}  // namespace trunkgate::sip
