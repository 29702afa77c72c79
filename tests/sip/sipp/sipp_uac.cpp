// A UAC built on the library placing calls to SIPp acting as UAS on loopback:
//   sipp_uac CALLS                          against SIPp's built-in `uas` scenario
//   sipp_uac CALLS SCENARIO USER PASSWORD   against a scenario file that challenges (401/407)
// Each call: INVITE, (401/407, ACK from the transaction, INVITE with credentials,) 180, 200, ACK,
// BYE, 200. Exits 0 only if every call completed here and SIPp reports no failed call.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sip/auth/auth_header_adapter.h"
#include "sip/auth/digest_client.h"
#include "sip/auth/digest_hash.h"
#include "sip/dialog/dialog.h"
#include "tests/sip/sipp/sipp_process.h"
#include "tests/sip/sipp/test_stack.h"

namespace trunkgate::sip::testing {
namespace {

constexpr const char* kOfferSdp =
    "v=0\r\no=uac 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

class TestUac {
 public:
  TestUac(const CredentialStore& credentials, Endpoint peer)
      : stack_(TransportProtocol::kUdp, TransactionUser{}),
        digest_(credentials),
        target_{TransportProtocol::kUdp, peer, 0, ""} {}

  TestStack& stack() { return stack_; }
  void PlaceCall();
  std::size_t calls() const { return calls_.size(); }
  int completed = 0, failed = 0, challenged = 0;

 private:
  struct Call {
    std::string call_id = RandomHex(12) + "@127.0.0.1";
    std::string from_tag = RandomHex(8);
    std::uint32_t cseq = 1;
    std::optional<SipMessage> invite;
    bool invite_had_credentials = false;
    std::optional<Dialog> dialog;
    std::string ack_bytes;
  };

  // `credentials` answer a challenge and go in `header` (Authorization or Proxy-Authorization).
  void SendInvite(Call& call, const std::optional<DigestCredentials>& credentials,
                  HeaderId header = HeaderId::kAuthorization);
  void OnInviteResponse(Call& call, const SipMessage& response);
  void OnChallenge(Call& call, const SipMessage& response);
  void AckAndHangUp(Call& call, const SipMessage& ok);
  ClientTransactionUser FailOnError(std::function<void(const SipMessage&)> on_response) {
    return {std::move(on_response), [this](std::string_view reason) {
              std::printf("call failed: %.*s\n", static_cast<int>(reason.size()), reason.data());
              ++failed;
            }};
  }

  TestStack stack_;
  DigestClient digest_;
  TransportTarget target_;
  std::vector<std::unique_ptr<Call>> calls_;
};

void TestUac::PlaceCall() {
  calls_.push_back(std::make_unique<Call>());
  SendInvite(*calls_.back(), std::nullopt);
}

void TestUac::SendInvite(Call& call, const std::optional<DigestCredentials>& credentials,
                         HeaderId header) {
  const std::string request_uri = "sip:service@" + target_.endpoint.ToString();
  SipMessage invite = SipMessage::make_request("INVITE", request_uri);
  invite.add_header(HeaderId::kVia, stack_.NewVia());
  invite.add_header(HeaderId::kMaxForwards, "70");
  invite.add_header(HeaderId::kFrom, "<sip:uac@127.0.0.1>;tag=" + call.from_tag);
  invite.add_header(HeaderId::kTo, "<" + request_uri + ">");
  invite.add_header(HeaderId::kCallId, call.call_id);
  invite.add_header(HeaderId::kCSeq, std::to_string(call.cseq) + " INVITE");
  invite.add_header(HeaderId::kContact, "<sip:uac@" + stack_.local().ToString() + ">");
  if (credentials) invite.add_header(header, credentials->ToHeaderValue());
  invite.set_body("application/sdp", kOfferSdp);
  call.invite = invite;
  call.invite_had_credentials = credentials.has_value();
  const bool started = stack_.layer.SendRequest(
      std::move(invite), target_,
      FailOnError([this, &call](const SipMessage& response) { OnInviteResponse(call, response); }));
  if (!started) ++failed;
}

void TestUac::OnInviteResponse(Call& call, const SipMessage& response) {
  const int code = response.status_code();
  if (code < 200) return;
  if (code < 300) return AckAndHangUp(call, response);
  if (code == 401 || code == 407) return OnChallenge(call, response);
  std::printf("call rejected: %d\n", code);
  ++failed;
}

void TestUac::OnChallenge(Call& call, const SipMessage& response) {
  ++challenged;
  const bool proxy = response.status_code() == 407;
  const auto challenges =
      response.auth_headers(proxy ? HeaderId::kProxyAuthenticate : HeaderId::kWwwAuthenticate);
  const auto challenge = challenges.ok() && !challenges->empty()
                             ? ChallengeFromHeader(challenges->front())
                             : std::nullopt;
  if (!challenge) {
    ++failed;
    return;
  }
  const DigestAnswer answer = digest_.Answer(*challenge, "INVITE", call.invite->request_uri_text(),
                                             call.invite_had_credentials);
  if (!answer.credentials) {
    std::printf("cannot answer the challenge (refusal %d)\n", static_cast<int>(answer.refusal));
    ++failed;
    return;
  }
  ++call.cseq;
  SendInvite(call, answer.credentials,
             proxy ? HeaderId::kProxyAuthorization : HeaderId::kAuthorization);
}

// RFC 3261 13.2.2.4: the UAC core ACKs every 2xx (retransmissions too) outside the transaction.
void TestUac::AckAndHangUp(Call& call, const SipMessage& ok) {
  if (call.dialog) {
    stack_.sender.Send(target_, call.ack_bytes);
    return;
  }
  call.dialog = Dialog::CreateAsUac(*call.invite, ok);
  if (!call.dialog) {
    ++failed;
    return;
  }
  SipMessage ack = call.dialog->MakeAck(call.cseq);
  ack.prepend_header(HeaderId::kVia, stack_.NewVia());
  call.ack_bytes = ack.serialize();
  stack_.sender.Send(target_, call.ack_bytes);

  SipMessage bye = call.dialog->MakeRequest("BYE");
  bye.prepend_header(HeaderId::kVia, stack_.NewVia());
  stack_.layer.SendRequest(std::move(bye), target_, FailOnError([this](const SipMessage& r) {
                             if (r.status_code() >= 200 && r.status_code() < 300) ++completed;
                             if (r.status_code() >= 300) ++failed;
                           }));
}

int Run(int calls, const std::vector<std::string>& scenario) {
  CredentialStore credentials;
  const std::uint16_t port = FreeUdpPort();
  std::vector<std::string> args = {"-i",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(port),
                                   "-m",
                                   std::to_string(calls),
                                   "-timeout",
                                   "60s",
                                   "-timeout_error",
                                   "-nostdin"};
  if (scenario.empty()) {
    args.insert(args.end(), {"-sn", "uas"});
  } else {
    args.insert(args.end(), {"-sf", scenario[0]});
    credentials.SetFallback({scenario[1], scenario[2]});
  }
  TestUac uac(credentials, *Endpoint::Parse("127.0.0.1", port));
  TestStack& stack = uac.stack();
  SippProcess sipp(stack.loop, args, scenario.empty() ? "sipp-uas.log" : "sipp-uas-challenge.log");
  for (int i = 0; i < calls; ++i) uac.PlaceCall();
  stack.loop.RunUntil([&] { return sipp.exited(); }, SteadyClock::now() + std::chrono::seconds(90));
  std::printf("sipp exit=%d calls=%zu completed=%d failed=%d challenged=%d\n",
              sipp.exit_status().value_or(-1), uac.calls(), uac.completed, uac.failed,
              uac.challenged);
  const bool challenges_expected = !scenario.empty();
  const bool ok = sipp.exit_status() == 0 && uac.completed == calls && uac.failed == 0 &&
                  (uac.challenged == calls) == challenges_expected;
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace trunkgate::sip::testing

int main(int argc, char** argv) {
  if (argc != 2 && argc != 5) {
    std::fprintf(stderr, "usage: %s CALLS [SCENARIO.xml USER PASSWORD]\n", argv[0]);
    return 2;
  }
  std::vector<std::string> scenario(argv + 2, argv + argc);
  return trunkgate::sip::testing::Run(std::atoi(argv[1]), scenario);
}
