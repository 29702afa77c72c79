#include "sip/dialog/offer_answer_state.h"

#include <gtest/gtest.h>

namespace trunkgate::sip {
namespace {

using Verdict = OfferAnswerState::Verdict;

TEST(OfferAnswerState, CrossingOffersAreGlare) {
  OfferAnswerState state;
  ASSERT_TRUE(state.CanSendOffer());
  state.OnLocalOffer();
  EXPECT_FALSE(state.CanSendOffer());
  EXPECT_EQ(state.OnRemoteOffer(), Verdict::kGlare);
  state.OnRemoteAnswerOrRejection();
  EXPECT_EQ(state.OnRemoteOffer(), Verdict::kAccept);
}

TEST(OfferAnswerState, ASecondOfferBeforeOurAnswerMustWait) {
  OfferAnswerState state;
  ASSERT_EQ(state.OnRemoteOffer(), Verdict::kAccept);
  EXPECT_FALSE(state.CanSendOffer());
  EXPECT_EQ(state.OnRemoteOffer(), Verdict::kRetryLater);
  state.OnLocalAnswer();
  EXPECT_TRUE(state.CanSendOffer());
  EXPECT_EQ(state.OnRemoteOffer(), Verdict::kAccept);
}

TEST(OfferAnswerState, RetryAfterIsWithinZeroToTenSeconds) {
  for (int i = 0; i < 200; ++i) EXPECT_LE(OfferAnswerState::RetryAfterSeconds(), 10u);
}

}  // namespace
}  // namespace trunkgate::sip
