#include "controlplane/trunks/registration_client.h"

#include <gtest/gtest.h>

#include "sip/auth/auth_header_adapter.h"
#include "sip/auth/digest_server.h"
#include "tests/controlplane/trunks/scripted_sip_services.h"

namespace trunkgate::cp {
namespace {

using std::chrono::seconds;
using testing::header;
using testing::ScriptedSipServices;
using State = RegistrationStatus::State;

sip::DigestServerConfig registrar_config() {
  sip::DigestServerConfig config;
  config.realm = "carrier.example";
  return config;
}

constexpr const char* kAor = "sip:+15551230000@carrier.example";

Trunk registering(sip::TransportProtocol = sip::TransportProtocol::kUdp) {
  Trunk t;
  t.name = "carrier";
  t.mode = TrunkMode::kRegister;
  t.registration = Registration{"sip.carrier.example:5060", kAor, 600};
  t.outbound_credentials = Credentials{"pbx-7", "s3cret", ""};
  return t;
}

class RegistrationTest : public ::testing::Test {
 protected:
  RegistrationTest() {
    sip.dns["sip.carrier.example"] = {ScriptedSipServices::target("203.0.113.20", 5060)};
  }

  void make(const std::vector<Trunk>& trunks) {
    client = std::make_unique<RegistrationClient>(
        sip, trunks, [this](const std::string&, const RegistrationStatus& s) { log.push_back(s); },
        RegistrationOptions{}, [this] { return sip.clock.now(); });
    client->start();
  }
  RegistrationStatus status() const { return *client->status("carrier"); }
  seconds since_start(sip::SteadyClock::time_point t) const {
    return std::chrono::duration_cast<seconds>(t.time_since_epoch());
  }
  // Answers sent[i] with a 401 from the registrar's digest server.
  void challenge(std::size_t i, bool stale = false) {
    const auto issued = registrar.Challenge(seconds(1000), stale);
    sip.respond(i, 401, "Unauthorized", {{"WWW-Authenticate", issued.ToHeaderValue()}});
  }
  // What the registrar's digest server says of the Authorization of sent[i].
  sip::DigestVerdict verify(std::size_t i) {
    const auto headers = sip.sent.at(i).request.auth_headers(sip::HeaderId::kAuthorization);
    if (!headers || headers->empty()) return sip::DigestVerdict::kBadResponse;
    const auto credentials = sip::CredentialsFromHeader(headers->at(0));
    return registrar.Verify(
        *credentials, "REGISTER", seconds(1000), [](std::string_view user, std::string_view) {
          return user == "pbx-7" ? std::optional<std::string>("s3cret") : std::nullopt;
        });
  }
  void ok(std::size_t i, const std::string& expires = "600") {
    sip.respond(i, 200, "OK", {{"Contact", "<sip:192.0.2.10:5060;bnc>;expires=" + expires}});
  }
  // The delay of the failure just logged.
  seconds retry_delay() const {
    EXPECT_EQ(status().state, State::kFailed);
    return std::chrono::duration_cast<seconds>(status().retry_at - sip.clock.now());
  }

  ScriptedSipServices sip;
  sip::DigestServer registrar{registrar_config()};
  std::vector<RegistrationStatus> log;
  std::unique_ptr<RegistrationClient> client;
};

TEST_F(RegistrationTest, RegisterFollowsRfc6140AndAnswersTheChallenge) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  EXPECT_EQ(sip.resolved, (std::vector<std::string>{"sip.carrier.example"}));
  ASSERT_EQ(sip.sent.size(), 1u);
  const sip::SipMessage& first = sip.sent[0].request;
  EXPECT_EQ(first.method_text(), "REGISTER");
  EXPECT_EQ(first.request_uri_text(), "sip:sip.carrier.example:5060");
  EXPECT_TRUE(header(first, sip::HeaderId::kFrom).starts_with("<" + std::string(kAor) + ">;tag="));
  EXPECT_EQ(header(first, sip::HeaderId::kTo), "<" + std::string(kAor) + ">");
  EXPECT_EQ(header(first, sip::HeaderId::kContact), "<sip:192.0.2.10:5060;bnc>");
  EXPECT_EQ(header(first, sip::HeaderId::kRequire), "gin");
  EXPECT_EQ(header(first, sip::HeaderId::kProxyRequire), "gin");
  EXPECT_EQ(header(first, sip::HeaderId::kSupported), "path");
  EXPECT_EQ(header(first, sip::HeaderId::kExpires), "600");
  EXPECT_EQ(header(first, sip::HeaderId::kCSeq), "1 REGISTER");
  EXPECT_EQ(header(first, sip::HeaderId::kMaxForwards), "70");
  EXPECT_FALSE(first.find(sip::HeaderId::kAuthorization));
  EXPECT_EQ(status().state, State::kRegistering);
  const std::string call_id(first.call_id());

  challenge(0);  // (`first` dangles from here: sent grows)
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(sip.sent[1].request.call_id(), call_id);  // RFC 3261 10.2: one Call-ID
  EXPECT_EQ(header(sip.sent[1].request, sip::HeaderId::kCSeq), "2 REGISTER");
  EXPECT_EQ(verify(1), sip::DigestVerdict::kAccepted);

  ok(1);
  EXPECT_EQ(status().state, State::kRegistered);
  EXPECT_EQ(since_start(status().until), seconds(600));
}

TEST_F(RegistrationTest, RefreshesAtHalfTheGrantedExpiryReusingTheNonce) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  challenge(0);
  ok(1, "300");  // the registrar grants less than asked
  sip.clock.advance(seconds(149));
  EXPECT_EQ(sip.sent.size(), 2u);
  sip.clock.advance(seconds(1));
  ASSERT_EQ(sip.sent.size(), 3u);
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kCSeq), "3 REGISTER");
  EXPECT_NE(header(sip.last(), sip::HeaderId::kAuthorization).find("nc=00000002"),
            std::string::npos);
  EXPECT_EQ(verify(2), sip::DigestVerdict::kAccepted);  // the same nonce, without a new challenge
  sip.respond(2, 200, "OK", {{"Expires", "400"}});      // no bnc Contact: the Expires header counts
  EXPECT_EQ(since_start(status().until), seconds(150 + 400));
}

TEST_F(RegistrationTest, IntervalTooBriefRetriesAtOnceWithMinExpires) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  sip.respond(0, 423, "Interval Too Brief", {{"Min-Expires", "1800"}});
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kExpires), "1800");
  EXPECT_EQ(status().state, State::kRegistering);
  sip.respond(1, 423, "Interval Too Brief", {{"Min-Expires", "1800"}});  // not longer: a failure
  EXPECT_EQ(retry_delay(), seconds(30));
}

TEST_F(RegistrationTest, DeliveryFailuresBackOffFrom30sDoublingTo960s) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  const std::vector<int> expected = {30, 60, 120, 240, 480, 960, 960};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(sip.sent.size(), i + 1);
    sip.fail(i, "timer F");
    EXPECT_EQ(retry_delay(), seconds(expected[i])) << "failure " << i;
    EXPECT_EQ(status().reason, "timer F");
    sip.clock.advance(seconds(expected[i]) - seconds(1));
    EXPECT_EQ(sip.sent.size(), i + 1);
    sip.clock.advance(seconds(1));
  }
  // A success resets the backoff.
  ok(expected.size());
  sip.clock.advance(seconds(300));
  sip.respond(expected.size() + 1, 480, "Temporarily Unavailable");  // 16.4.1.5: delivery failure
  EXPECT_EQ(retry_delay(), seconds(30));
}

TEST_F(RegistrationTest, ShortRetryAfterRetriesTheSameAddressAfterIt) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  sip.respond(0, 503, "Service Unavailable", {{"Retry-After", "20"}});
  EXPECT_EQ(retry_delay(), seconds(20));
  sip.clock.advance(seconds(19));
  EXPECT_EQ(sip.sent.size(), 1u);
  sip.clock.advance(seconds(1));
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(sip.resolved.size(), 1u);  // the same address, not a new resolution
}

TEST_F(RegistrationTest, LongRetryAfterTriesTheAlternateThenWaitsItOut) {
  sip.dns["sip.carrier.example"] = {ScriptedSipServices::target("203.0.113.20", 5060),
                                    ScriptedSipServices::target("203.0.113.21", 5060)};
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  sip.respond(0, 500, "Server Internal Error", {{"Retry-After", "300"}});
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(sip.sent[1].target.endpoint.ToString(), "203.0.113.21:5060");
  sip.fail(1);
  EXPECT_EQ(retry_delay(), seconds(30));
  sip.clock.advance(seconds(30));
  // The first address asked for 300 s: the new attempt starts with the alternate.
  ASSERT_EQ(sip.sent.size(), 3u);
  EXPECT_EQ(sip.sent[2].target.endpoint.ToString(), "203.0.113.21:5060");
}

TEST_F(RegistrationTest, LongRetryAfterWithoutAlternateIsWaited) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  sip.respond(0, 503, "Service Unavailable", {{"Retry-After", "120"}});
  EXPECT_EQ(retry_delay(), seconds(120));
  sip.clock.advance(seconds(119));
  EXPECT_EQ(sip.sent.size(), 1u);
  sip.clock.advance(seconds(1));
  EXPECT_EQ(sip.sent.size(), 2u);
}

TEST_F(RegistrationTest, OtherFailuresBackOffUnlessRetryAfterIsLonger) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  sip.respond(0, 404, "Not Found", {{"Retry-After", "2000"}});
  EXPECT_EQ(retry_delay(), seconds(2000));
  sip.clock.advance(seconds(2000));
  // No Retry-After: plain backoff, already doubled since the 404 was a failure too.
  sip.respond(1, 500, "Server Internal Error");
  EXPECT_EQ(retry_delay(), seconds(60));
}

TEST_F(RegistrationTest, MoreThanThreeRefusalsFailTheAttempt) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  challenge(0);
  challenge(1);
  sip.respond(2, 403, "Forbidden");
  ASSERT_EQ(sip.sent.size(), 4u);
  EXPECT_FALSE(sip.sent[3].request.find(sip::HeaderId::kAuthorization));  // asks anew after 403
  challenge(3);
  EXPECT_EQ(sip.sent.size(), 4u);
  EXPECT_EQ(retry_delay(), seconds(30));
  EXPECT_EQ(status().reason, "authentication failed: 401 Unauthorized");
}

TEST_F(RegistrationTest, ProxyChallengeIsAnsweredInProxyAuthorization) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  const auto issued = registrar.Challenge(seconds(1000));
  sip.respond(0, 407, "Proxy Authentication Required",
              {{"Proxy-Authenticate", issued.ToHeaderValue()}});
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_FALSE(sip.last().find(sip::HeaderId::kAuthorization));
  EXPECT_TRUE(header(sip.last(), sip::HeaderId::kProxyAuthorization).starts_with("Digest "));
}

TEST_F(RegistrationTest, ConnectionTransportsRetryTheSameAddressOnceFirst) {
  sip.dns["sip.carrier.example"] = {
      ScriptedSipServices::target("203.0.113.20", 5061, sip::TransportProtocol::kTls)};
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kContact), "<sip:192.0.2.10:5060;transport=tls;bnc>");
  sip.fail(0, "transport error");
  ASSERT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(sip.sent[1].target.endpoint.ToString(), "203.0.113.20:5061");
  sip.fail(1, "transport error");
  EXPECT_EQ(sip.sent.size(), 2u);
  EXPECT_EQ(retry_delay(), seconds(30));
}

TEST_F(RegistrationTest, UnresolvableRegistrarBacksOff) {
  sip.dns.clear();
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  EXPECT_TRUE(sip.sent.empty());
  EXPECT_EQ(retry_delay(), seconds(30));
  EXPECT_EQ(status().reason, "the registrar does not resolve");
}

TEST_F(RegistrationTest, LostRegistrationRegistersAgainAtOnce) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  ok(0);
  client->registration_lost("carrier");
  EXPECT_EQ(status().state, State::kRegistering);
  ASSERT_EQ(sip.sent.size(), 2u);
  sip.clock.advance(seconds(300));  // the old refresh timer is gone
  EXPECT_EQ(sip.sent.size(), 2u);
}

TEST_F(RegistrationTest, StopUnregistersWithExpiresZeroAndReportsDone) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  challenge(0);
  ok(1);
  bool done = false;
  client->stop([&] { done = true; });
  ASSERT_EQ(sip.sent.size(), 3u);
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kExpires), "0");
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kContact), "<sip:192.0.2.10:5060;bnc>");
  EXPECT_EQ(verify(2), sip::DigestVerdict::kAccepted);
  EXPECT_FALSE(done);
  sip.respond(2, 200, "OK");
  EXPECT_TRUE(done);
  EXPECT_EQ(status().state, State::kUnregistered);
  sip.clock.advance(seconds(3600));  // no refresh after stop
  EXPECT_EQ(sip.sent.size(), 3u);
}

TEST_F(RegistrationTest, StopRemovesABindingWhoseRefreshFailedButHasNotLapsed) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  ok(0);
  sip.clock.advance(seconds(300));
  sip.fail(1);  // the refresh: 300 s of the binding remain
  ASSERT_EQ(status().state, State::kFailed);
  bool done = false;
  client->stop([&] { done = true; });
  ASSERT_EQ(sip.sent.size(), 3u);
  EXPECT_EQ(header(sip.last(), sip::HeaderId::kExpires), "0");
  sip.fail(2);  // an unreachable registrar ends the unregistration too
  EXPECT_TRUE(done);
}

TEST_F(RegistrationTest, StopWithNothingRegisteredIsDoneAtOnce) {
  sip.dns.clear();
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  bool done = false;
  client->stop([&] { done = true; });
  EXPECT_TRUE(done);
  EXPECT_TRUE(sip.sent.empty());
}

TEST_F(RegistrationTest, StatesAreReportedInOrder) {
  const std::vector<Trunk> trunks = {registering()};
  make(trunks);
  sip.fail(0);
  sip.clock.advance(seconds(30));
  ok(1);
  std::vector<State> states;
  for (const auto& s : log) states.push_back(s.state);
  EXPECT_EQ(states, (std::vector<State>{State::kRegistering, State::kFailed, State::kRegistering,
                                        State::kRegistered}));
  EXPECT_FALSE(client->status("not-a-registering-trunk"));
}

}  // namespace
}  // namespace trunkgate::cp
