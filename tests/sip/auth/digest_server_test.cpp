#include "sip/auth/digest_server.h"

#include <gtest/gtest.h>

#include "sip/auth/digest_client.h"

namespace trunkgate::sip {
namespace {

using std::chrono::seconds;

constexpr seconds kT0{1'800'000'000};

std::optional<std::string> Passwords(std::string_view username, std::string_view realm) {
  if (username == "alice" && realm == "trunk.example") return std::string("secret");
  return std::nullopt;
}

class DigestServerTest : public ::testing::Test {
 protected:
  DigestCredentials Sign(const DigestChallenge& challenge, const std::string& password = "secret") {
    CredentialStore store;
    store.Add("trunk.example", {"alice", password});
    DigestClient client(store);
    return *client.Answer(challenge, "INVITE", "sip:bob@trunk.example", false).credentials;
  }

  DigestServer server_{{"trunk.example", DigestAlgorithm::kSha256, seconds(60), 4, ""}};
};

TEST_F(DigestServerTest, AcceptsACorrectAnswerOnceThenDetectsTheReplay) {
  const DigestCredentials credentials = Sign(server_.Challenge(kT0));
  EXPECT_EQ(server_.Verify(credentials, "INVITE", kT0 + seconds(1), Passwords),
            DigestVerdict::kAccepted);
  EXPECT_EQ(server_.Verify(credentials, "INVITE", kT0 + seconds(2), Passwords),
            DigestVerdict::kReplayed);
}

TEST_F(DigestServerTest, AcceptsIncreasingNonceCounts) {
  const DigestChallenge challenge = server_.Challenge(kT0);
  CredentialStore store;
  store.Add("trunk.example", {"alice", "secret"});
  DigestClient client(store);
  const auto first = *client.Answer(challenge, "REGISTER", "sip:trunk.example", false).credentials;
  const auto second = *client.Reuse("trunk.example", "INVITE", "sip:bob@trunk.example");
  EXPECT_EQ(server_.Verify(second, "INVITE", kT0, Passwords), DigestVerdict::kAccepted);
  // nc 1 after nc 2 is a replay even though it was never seen.
  EXPECT_EQ(server_.Verify(first, "REGISTER", kT0, Passwords), DigestVerdict::kReplayed);
}

TEST_F(DigestServerTest, RejectsWrongPasswordMethodUserRealmAndAlgorithm) {
  const DigestChallenge challenge = server_.Challenge(kT0);
  EXPECT_EQ(server_.Verify(Sign(challenge, "wrong"), "INVITE", kT0, Passwords),
            DigestVerdict::kBadResponse);
  EXPECT_EQ(server_.Verify(Sign(challenge), "BYE", kT0, Passwords), DigestVerdict::kBadResponse);
  DigestCredentials other_user = Sign(challenge);
  other_user.username = "mallory";
  EXPECT_EQ(server_.Verify(other_user, "INVITE", kT0, Passwords), DigestVerdict::kUnknownUser);
  DigestCredentials other_realm = Sign(challenge);
  other_realm.realm = "evil";
  EXPECT_EQ(server_.Verify(other_realm, "INVITE", kT0, Passwords), DigestVerdict::kWrongRealm);
  DigestChallenge md5 = challenge;
  md5.algorithm = DigestAlgorithm::kMd5;
  EXPECT_EQ(server_.Verify(Sign(md5), "INVITE", kT0, Passwords), DigestVerdict::kWrongAlgorithm);
}

TEST_F(DigestServerTest, ExpiredNonceIsStaleOnlyForTheRightPassword) {
  const DigestChallenge challenge = server_.Challenge(kT0);
  EXPECT_EQ(server_.Verify(Sign(challenge), "INVITE", kT0 + seconds(61), Passwords),
            DigestVerdict::kStaleNonce);
  EXPECT_EQ(server_.Verify(Sign(challenge, "wrong"), "INVITE", kT0 + seconds(61), Passwords),
            DigestVerdict::kBadResponse);
  EXPECT_TRUE(server_.Challenge(kT0, true).stale);
}

TEST_F(DigestServerTest, RejectsNoncesItDidNotIssue) {
  DigestChallenge challenge = server_.Challenge(kT0);
  DigestServer other({"trunk.example", DigestAlgorithm::kSha256, seconds(60), 4, ""});
  EXPECT_EQ(other.Verify(Sign(challenge), "INVITE", kT0, Passwords), DigestVerdict::kForgedNonce);
  challenge.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  EXPECT_EQ(server_.Verify(Sign(challenge), "INVITE", kT0, Passwords), DigestVerdict::kForgedNonce);
}

TEST_F(DigestServerTest, ForgottenNonceAsksForAFreshOne) {
  const DigestChallenge oldest = server_.Challenge(kT0);
  for (int i = 0; i < 4; ++i) server_.Challenge(kT0);  // capacity is 4
  EXPECT_EQ(server_.Verify(Sign(oldest), "INVITE", kT0, Passwords), DigestVerdict::kStaleNonce);
}

TEST_F(DigestServerTest, SharedKeyInstanceChecksThePasswordButWantsItsOwnNonce) {
  DigestServer a({"trunk.example", DigestAlgorithm::kMd5, seconds(60), 4, "cluster-key"});
  DigestServer b({"trunk.example", DigestAlgorithm::kMd5, seconds(60), 4, "cluster-key"});
  // b never issued the nonce, so it verifies the password but asks for one of its own.
  EXPECT_EQ(b.Verify(Sign(a.Challenge(kT0)), "INVITE", kT0, Passwords), DigestVerdict::kStaleNonce);
}

}  // namespace
}  // namespace trunkgate::sip
