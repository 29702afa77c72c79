#include "controlplane/trunks/inbound_authenticator.h"

#include <gtest/gtest.h>

#include "sip/auth/auth_header_adapter.h"
#include "sip/auth/digest_client.h"

namespace trunkgate::cp {
namespace {

using Kind = InboundAuthResult::Kind;

constexpr const char* kInvite =
    "INVITE sip:+15551230000@192.0.2.10 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1\r\n"
    "From: <sip:+15557654321@carrier.example>;tag=abc\r\n"
    "To: <sip:+15551230000@192.0.2.10>\r\n"
    "Call-ID: call-1@203.0.113.5\r\n"
    "CSeq: 1 INVITE\r\n"
    "Max-Forwards: 70\r\n"
    "Content-Length: 0\r\n\r\n";

Trunk challenged(std::string name, std::string user, std::string password, std::string realm = {}) {
  Trunk t;
  t.name = std::move(name);
  t.challenge_inbound = true;
  t.inbound_credentials = Credentials{std::move(user), std::move(password), std::move(realm)};
  return t;
}

class InboundAuthTest : public ::testing::Test {
 protected:
  InboundAuthenticator make(const std::vector<Trunk>& trunks) {
    InboundAuthConfig config;
    config.realm = "gw.example";
    return InboundAuthenticator(trunks, config, [this] { return now; });
  }

  static sip::SipMessage invite() { return sip::SipMessage::parse(kInvite).value(); }

  static sip::DigestChallenge challenge_of(const InboundAuthResult& result) {
    EXPECT_EQ(result.kind, Kind::kChallenge);
    const auto headers = result.response->auth_headers(sip::HeaderId::kProxyAuthenticate);
    return *sip::ChallengeFromHeader(headers->at(0));
  }

  // The INVITE again with credentials answering `challenge`, as a client with `password` sends.
  static sip::SipMessage answered(const sip::DigestChallenge& challenge, const std::string& user,
                                  const std::string& password) {
    sip::CredentialStore store;
    store.SetFallback({user, password});
    sip::DigestClient client(store);
    const auto answer = client.Answer(challenge, "INVITE", "sip:+15551230000@192.0.2.10", false);
    sip::SipMessage request = invite();
    request.add_header(sip::HeaderId::kProxyAuthorization, answer.credentials->ToHeaderValue());
    return request;
  }

  std::chrono::seconds now{1'700'000'000};
};

TEST_F(InboundAuthTest, ChallengeThenAnswerAuthenticatesTheTrunkOfTheUserName) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a"),
                                     challenged("pbx-b", "bob", "secret-b")};
  auto auth = make(trunks);
  const InboundAuthResult first = auth.check(invite(), nullptr, "gw-tag");
  ASSERT_EQ(first.kind, Kind::kChallenge);
  EXPECT_EQ(first.response->status_code(), 407);
  EXPECT_EQ(first.response->call_id(), "call-1@203.0.113.5");
  EXPECT_EQ(first.response->to()->tag(), "gw-tag");
  const sip::DigestChallenge challenge = challenge_of(first);
  EXPECT_EQ(challenge.realm, "gw.example");
  EXPECT_FALSE(challenge.stale);

  const InboundAuthResult second = auth.check(answered(challenge, "bob", "secret-b"), nullptr, "t");
  EXPECT_EQ(second.kind, Kind::kAuthenticated);
  ASSERT_NE(second.trunk, nullptr);
  EXPECT_EQ(second.trunk->name, "pbx-b");
  EXPECT_FALSE(second.response);
}

TEST_F(InboundAuthTest, WrongPasswordAndUnknownUserAreForbidden) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a")};
  auto auth = make(trunks);
  const auto challenge = challenge_of(auth.check(invite(), nullptr, "t"));
  const InboundAuthResult wrong = auth.check(answered(challenge, "alice", "guess"), nullptr, "t");
  EXPECT_EQ(wrong.kind, Kind::kReject);
  EXPECT_EQ(wrong.response->status_code(), 403);
  EXPECT_EQ(wrong.trunk, nullptr);
  const InboundAuthResult unknown = auth.check(answered(challenge, "mallory", "x"), nullptr, "t");
  EXPECT_EQ(unknown.response->status_code(), 403);
}

TEST_F(InboundAuthTest, ReplayedCredentialsAreForbidden) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a")};
  auto auth = make(trunks);
  const auto request =
      answered(challenge_of(auth.check(invite(), nullptr, "t")), "alice", "secret-a");
  EXPECT_EQ(auth.check(request, nullptr, "t").kind, Kind::kAuthenticated);
  EXPECT_EQ(auth.check(request, nullptr, "t").response->status_code(), 403);
}

TEST_F(InboundAuthTest, StaleNonceIsChallengedAgainWithStaleTrue) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a")};
  auto auth = make(trunks);
  const auto challenge = challenge_of(auth.check(invite(), nullptr, "t"));
  now += std::chrono::seconds(301);  // past the 300 s nonce lifetime
  const InboundAuthResult stale =
      auth.check(answered(challenge, "alice", "secret-a"), nullptr, "t");
  const auto fresh = challenge_of(stale);
  EXPECT_TRUE(fresh.stale);
  EXPECT_NE(fresh.nonce, challenge.nonce);
  EXPECT_EQ(auth.check(answered(fresh, "alice", "secret-a"), nullptr, "t").kind,
            Kind::kAuthenticated);
  // With a wrong password an expired nonce is not "stale": the client learns nothing.
  now += std::chrono::seconds(301);
  EXPECT_EQ(auth.check(answered(fresh, "alice", "nope"), nullptr, "t").response->status_code(),
            403);
}

TEST_F(InboundAuthTest, ForgedNonceDrawsAFreshChallenge) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a")};
  auto auth = make(trunks);
  auto challenge = challenge_of(auth.check(invite(), nullptr, "t"));
  challenge.nonce = "00000000deadbeef";
  const auto again =
      challenge_of(auth.check(answered(challenge, "alice", "secret-a"), nullptr, "t"));
  EXPECT_FALSE(again.stale);
}

TEST_F(InboundAuthTest, SourceTrunkChoosesTheRealmAndOtherRealmsAreIgnored) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a"),
                                     challenged("carrier", "eightxeight", "pw", "voip.example")};
  auto auth = make(trunks);
  const auto challenge = challenge_of(auth.check(invite(), &trunks[1], "t"));
  EXPECT_EQ(challenge.realm, "voip.example");
  // Credentials for a realm that is not ours belong to another proxy: challenged, not rejected.
  sip::SipMessage foreign = invite();
  foreign.add_header(sip::HeaderId::kProxyAuthorization,
                     "Digest username=\"x\", realm=\"elsewhere\", nonce=\"n\", uri=\"sip:a\", "
                     "response=\"00\"");
  EXPECT_EQ(auth.check(foreign, &trunks[1], "t").kind, Kind::kChallenge);
  const auto result = auth.check(answered(challenge, "eightxeight", "pw"), &trunks[1], "t");
  ASSERT_EQ(result.kind, Kind::kAuthenticated);
  EXPECT_EQ(result.trunk->name, "carrier");
}

TEST_F(InboundAuthTest, MalformedCredentialsAreABadRequest) {
  const std::vector<Trunk> trunks = {challenged("pbx-a", "alice", "secret-a")};
  auto auth = make(trunks);
  sip::SipMessage request = invite();
  request.add_header(sip::HeaderId::kProxyAuthorization,
                     "Digest username=\"alice\", realm=\"gw.example\"");  // no nonce, no response
  const InboundAuthResult result = auth.check(request, nullptr, "t");
  EXPECT_EQ(result.kind, Kind::kReject);
  EXPECT_EQ(result.response->status_code(), 400);
}

TEST_F(InboundAuthTest, WithoutChallengedTrunksEverythingIsForbidden) {
  Trunk plain;
  plain.name = "static";
  const std::vector<Trunk> trunks = {plain};
  auto auth = make(trunks);
  const InboundAuthResult result = auth.check(invite(), nullptr, "t");
  EXPECT_EQ(result.kind, Kind::kReject);
  EXPECT_EQ(result.response->status_code(), 403);
}

}  // namespace
}  // namespace trunkgate::cp
