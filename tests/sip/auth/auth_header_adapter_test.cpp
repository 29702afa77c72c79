#include "sip/auth/auth_header_adapter.h"

#include <gtest/gtest.h>

namespace trunkgate::sip {
namespace {

TEST(AuthHeaderAdapter, ReadsAChallengeAsCucmWritesIt) {
  const auto header = parse_auth_header(
      "DIGEST realm=\"ccm\\\"1\", nonce=\"abc\", qop=\"auth,auth-int\", algorithm=SHA-256");
  ASSERT_TRUE(header.ok());
  const auto challenge = ChallengeFromHeader(*header);
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->realm, "ccm\"1");
  EXPECT_EQ(challenge->nonce, "abc");
  EXPECT_TRUE(challenge->qop_auth);
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::kSha256);
}

TEST(AuthHeaderAdapter, CredentialsSurviveSerializeAndParse) {
  DigestCredentials sent;
  sent.username = "alice";
  sent.realm = "sp \"x\"";
  sent.nonce = "n1";
  sent.uri = "sip:bob@sp.example.com;user=phone";
  sent.response = "0123abcd";
  sent.opaque = "op";
  sent.qop_auth = true;
  sent.nc = "00000002";
  sent.cnonce = "c1";
  const std::string value = sent.ToHeaderValue();
  const auto header = parse_auth_header(value);
  ASSERT_TRUE(header.ok()) << to_string(header.failure());
  const auto received = CredentialsFromHeader(*header);
  ASSERT_TRUE(received);
  EXPECT_EQ(received->realm, sent.realm);
  EXPECT_EQ(received->uri, sent.uri);
  EXPECT_EQ(received->nc, "00000002");
  EXPECT_EQ(received->cnonce, "c1");
  EXPECT_EQ(received->opaque, "op");
}

TEST(AuthHeaderAdapter, RefusesOtherSchemes) {
  const auto header = parse_auth_header("Basic realm=\"x\"");
  ASSERT_TRUE(header.ok());
  EXPECT_FALSE(ChallengeFromHeader(*header));
}

}  // namespace
}  // namespace trunkgate::sip
