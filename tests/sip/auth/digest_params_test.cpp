#include "sip/auth/digest_params.h"

#include <gtest/gtest.h>

#include <vector>

namespace trunkgate::sip {
namespace {

TEST(DigestChallenge, ReadsAllParameters) {
  const std::vector<AuthParamView> params = {{"Realm", "sp.example.com"}, {"nonce", "abc"},
                                             {"opaque", "xyz"},           {"algorithm", "sha-256"},
                                             {"qop", "auth-int, auth"},   {"stale", "TRUE"}};
  const auto challenge = DigestChallenge::FromParams(params);
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->realm, "sp.example.com");
  EXPECT_EQ(challenge->nonce, "abc");
  EXPECT_EQ(challenge->opaque, "xyz");
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::kSha256);
  EXPECT_TRUE(challenge->qop_auth);
  EXPECT_TRUE(challenge->stale);
}

TEST(DigestChallenge, DefaultsToMd5WithoutQop) {
  const std::vector<AuthParamView> params = {{"realm", "r"}, {"nonce", "n"}};
  const auto challenge = DigestChallenge::FromParams(params);
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->algorithm, DigestAlgorithm::kMd5);
  EXPECT_FALSE(challenge->qop_auth);
  EXPECT_FALSE(challenge->stale);
  EXPECT_FALSE(challenge->opaque);
}

TEST(DigestChallenge, RefusesWhatItCannotAnswer) {
  const std::vector<AuthParamView> unknown_algorithm = {
      {"realm", "r"}, {"nonce", "n"}, {"algorithm", "SHA-512-256"}};
  const std::vector<AuthParamView> only_auth_int = {
      {"realm", "r"}, {"nonce", "n"}, {"qop", "auth-int"}};
  const std::vector<AuthParamView> no_nonce = {{"realm", "r"}};
  EXPECT_FALSE(DigestChallenge::FromParams(unknown_algorithm));
  EXPECT_FALSE(DigestChallenge::FromParams(only_auth_int));
  EXPECT_FALSE(DigestChallenge::FromParams(no_nonce));
}

TEST(DigestChallenge, SerializesWithEscapes) {
  DigestChallenge challenge{"a\"b", "n", std::string("o"), DigestAlgorithm::kMd5, true, true};
  EXPECT_EQ(challenge.ToHeaderValue(),
            "Digest realm=\"a\\\"b\", nonce=\"n\", opaque=\"o\", algorithm=MD5, qop=\"auth\", "
            "stale=true");
}

TEST(DigestCredentials, RoundTripsThroughParams) {
  const std::vector<AuthParamView> params = {
      {"username", "alice"}, {"realm", "r"},      {"nonce", "n"},     {"uri", "sip:bob@h"},
      {"response", "0123"},  {"qop", "auth"},     {"nc", "0000000a"}, {"cnonce", "c"},
      {"opaque", "o"},       {"algorithm", "MD5"}};
  const auto credentials = DigestCredentials::FromParams(params);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->nc, "0000000a");
  EXPECT_EQ(credentials->ToHeaderValue(),
            "Digest username=\"alice\", realm=\"r\", nonce=\"n\", uri=\"sip:bob@h\", "
            "response=\"0123\", algorithm=MD5, opaque=\"o\", qop=auth, nc=0000000a, cnonce=\"c\"");
}

TEST(DigestCredentials, RejectsQopWithoutValidNonceCount) {
  std::vector<AuthParamView> params = {{"username", "a"}, {"realm", "r"},    {"nonce", "n"},
                                       {"uri", "u"},      {"response", "x"}, {"qop", "auth"},
                                       {"cnonce", "c"},   {"nc", "1"}};
  EXPECT_FALSE(DigestCredentials::FromParams(params));
  params.back().second = "0000000g";
  EXPECT_FALSE(DigestCredentials::FromParams(params));
  params.back().second = "00000001";
  EXPECT_TRUE(DigestCredentials::FromParams(params));
  params.pop_back();
  EXPECT_FALSE(DigestCredentials::FromParams(params));
}

}  // namespace
}  // namespace trunkgate::sip
