#include "sip/auth/digest_client.h"

#include <gtest/gtest.h>

#include "sip/auth/digest_response.h"

namespace trunkgate::sip {
namespace {

DigestChallenge Challenge(std::string realm, std::string nonce, bool qop, bool stale = false) {
  DigestChallenge challenge;
  challenge.realm = std::move(realm);
  challenge.nonce = std::move(nonce);
  challenge.opaque = "opq";
  challenge.algorithm = DigestAlgorithm::kSha256;
  challenge.qop_auth = qop;
  challenge.stale = stale;
  return challenge;
}

class DigestClientTest : public ::testing::Test {
 protected:
  DigestClientTest() { store_.Add("sp.example.com", {"alice", "secret"}); }
  CredentialStore store_;
  DigestClient client_{store_};
};

TEST_F(DigestClientTest, AnswersWithTheRealmsAccountAndAVerifiableResponse) {
  const auto answer = client_.Answer(Challenge("sp.example.com", "N1", true), "INVITE",
                                     "sip:+15551234567@sp.example.com;user=phone", false);
  ASSERT_EQ(answer.refusal, DigestRefusal::kNone);
  const DigestCredentials& c = *answer.credentials;
  EXPECT_EQ(c.username, "alice");
  EXPECT_EQ(c.opaque, "opq");
  EXPECT_EQ(c.nc, "00000001");
  EXPECT_GE(c.cnonce.size(), 16u);
  const std::string ha1 = DigestHa1(DigestAlgorithm::kSha256, "alice", "sp.example.com", "secret");
  EXPECT_EQ(c.response, DigestResponse({DigestAlgorithm::kSha256, ha1, "N1", "INVITE", c.uri, true,
                                        c.nc, c.cnonce}));
}

TEST_F(DigestClientTest, ReusesTheNonceWithIncreasingNonceCount) {
  client_.Answer(Challenge("sp.example.com", "N1", true), "REGISTER", "sip:sp.example.com", false);
  const auto second = client_.Reuse("sp.example.com", "INVITE", "sip:bob@sp.example.com");
  const auto third = client_.Reuse("sp.example.com", "INVITE", "sip:bob@sp.example.com");
  ASSERT_TRUE(second && third);
  EXPECT_EQ(second->nc, "00000002");
  EXPECT_EQ(third->nc, "00000003");
  EXPECT_NE(second->cnonce, third->cnonce);
  EXPECT_FALSE(client_.Reuse("other.example.com", "INVITE", "sip:bob@sp.example.com"));
}

TEST_F(DigestClientTest, DoesNotReuseANonceWithoutQop) {
  const auto answer =
      client_.Answer(Challenge("sp.example.com", "N1", false), "INVITE", "sip:b@h", false);
  ASSERT_TRUE(answer.credentials);
  EXPECT_TRUE(answer.credentials->nc.empty());
  EXPECT_FALSE(client_.Reuse("sp.example.com", "INVITE", "sip:b@h"));
}

TEST_F(DigestClientTest, SecondChallengeMeansRejectedUnlessStale) {
  EXPECT_EQ(
      client_.Answer(Challenge("sp.example.com", "N2", true), "INVITE", "sip:b@h", true).refusal,
      DigestRefusal::kRejected);
  const auto stale =
      client_.Answer(Challenge("sp.example.com", "N3", true, true), "INVITE", "sip:b@h", true);
  ASSERT_EQ(stale.refusal, DigestRefusal::kNone);
  EXPECT_EQ(stale.credentials->nonce, "N3");
  EXPECT_EQ(stale.credentials->nc, "00000001");
}

TEST_F(DigestClientTest, UnknownRealmUsesFallbackOrRefuses) {
  EXPECT_EQ(client_.Answer(Challenge("elsewhere", "N", true), "INVITE", "sip:b@h", false).refusal,
            DigestRefusal::kNoCredentials);
  store_.SetFallback({"bob", "pw"});
  const auto answer = client_.Answer(Challenge("elsewhere", "N", true), "INVITE", "sip:b@h", false);
  ASSERT_TRUE(answer.credentials);
  EXPECT_EQ(answer.credentials->username, "bob");
  EXPECT_EQ(answer.credentials->realm, "elsewhere");
}

}  // namespace
}  // namespace trunkgate::sip
