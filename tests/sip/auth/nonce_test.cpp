#include <gtest/gtest.h>

#include "sip/auth/nonce_count_tracker.h"
#include "sip/auth/nonce_issuer.h"

namespace trunkgate::sip {
namespace {

using std::chrono::seconds;

TEST(NonceIssuer, ValidUntilItsLifetimeEnds) {
  const NonceIssuer issuer("k", "realm", seconds(30));
  const std::string nonce = issuer.Issue(seconds(1000));
  EXPECT_EQ(issuer.Check(nonce, seconds(1000)), NonceStatus::kValid);
  EXPECT_EQ(issuer.Check(nonce, seconds(1030)), NonceStatus::kValid);
  EXPECT_EQ(issuer.Check(nonce, seconds(1031)), NonceStatus::kExpired);
  EXPECT_EQ(issuer.Check(nonce, seconds(999)), NonceStatus::kForged);
}

TEST(NonceIssuer, DetectsTamperingAndOtherContexts) {
  const NonceIssuer issuer("k", "realm", seconds(30));
  std::string nonce = issuer.Issue(seconds(1000));
  EXPECT_NE(nonce, issuer.Issue(seconds(1000)));
  EXPECT_EQ(NonceIssuer("k", "other-realm", seconds(30)).Check(nonce, seconds(1000)),
            NonceStatus::kForged);
  EXPECT_EQ(NonceIssuer("k2", "realm", seconds(30)).Check(nonce, seconds(1000)),
            NonceStatus::kForged);
  nonce[15] = nonce[15] == '0' ? '1' : '0';  // move the issue time
  EXPECT_EQ(issuer.Check(nonce, seconds(1000)), NonceStatus::kForged);
  EXPECT_EQ(issuer.Check("", seconds(1000)), NonceStatus::kForged);
  EXPECT_EQ(issuer.Check(std::string(64, 'z'), seconds(1000)), NonceStatus::kForged);
}

TEST(NonceCountTracker, TracksHighestCountAndStaysBounded) {
  NonceCountTracker tracker(2);
  tracker.Remember("a");
  EXPECT_EQ(tracker.Use("a", 1), NonceUse::kFresh);
  EXPECT_EQ(tracker.Use("a", 3), NonceUse::kFresh);
  EXPECT_EQ(tracker.Use("a", 2), NonceUse::kReplayed);
  EXPECT_EQ(tracker.Use("b", 1), NonceUse::kUnknown);
  tracker.Remember("b");
  tracker.Remember("c");
  EXPECT_EQ(tracker.size(), 2u);
  EXPECT_EQ(tracker.Use("a", 4), NonceUse::kUnknown);
  EXPECT_EQ(tracker.UseOnce("b"), NonceUse::kFresh);
  EXPECT_EQ(tracker.UseOnce("b"), NonceUse::kReplayed);
}

}  // namespace
}  // namespace trunkgate::sip
