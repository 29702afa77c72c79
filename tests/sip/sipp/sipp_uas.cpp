// A UAS built on the library, answering SIPp's built-in `uac` scenario on loopback:
//   sipp_uas udp|tcp CALLS
// Exits 0 only if SIPp reports every call successful and every call was answered, ACKed and
// hung up here.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "sip/auth/digest_hash.h"
#include "sip/dialog/dialog.h"
#include "sip/dialog/invite_2xx_retransmitter.h"
#include "sip/transaction/response_routing.h"
#include "tests/sip/sipp/sipp_process.h"
#include "tests/sip/sipp/test_stack.h"

namespace trunkgate::sip::testing {
namespace {

constexpr const char* kAnswerSdp =
    "v=0\r\no=uas 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

class TestUas {
 public:
  explicit TestUas(TransportProtocol protocol) : stack_(protocol, User()) {}

  TestStack& stack() { return stack_; }
  int answered = 0, acked = 0, hung_up = 0, errors = 0;

 private:
  struct Call {
    Dialog dialog;
    std::unique_ptr<Invite2xxRetransmitter> retransmitter;
  };

  TransactionUser User() {
    TransactionUser user;
    user.on_request = [this](ServerTransactionId id, const SipMessage& request,
                             const ReceivedMessage& received) {
      if (request.method() == Method::kInvite) return OnInvite(id, request, received);
      if (request.method() == Method::kBye) return OnBye(id, request);
      stack_.layer.Respond(id, MakeResponse(request, 405, "Method Not Allowed"));
    };
    user.on_ack = [this](const SipMessage& ack, const ReceivedMessage&) {
      const auto it = calls_.find(std::string(ack.call_id()));
      if (it == calls_.end() || !it->second.dialog.OnRemoteRequest(ack)) return;
      it->second.retransmitter->OnAck();
      ++acked;
    };
    user.on_server_failure = [this](ServerTransactionId, std::string_view) { ++errors; };
    return user;
  }

  void OnInvite(ServerTransactionId id, const SipMessage& invite, const ReceivedMessage& received) {
    const std::string tag = RandomHex(8);
    auto dialog = Dialog::CreateAsUas(invite, tag, DialogState::kConfirmed);
    if (!dialog) {
      stack_.layer.Respond(id, MakeResponse(invite, 400, "Bad Request"));
      ++errors;
      return;
    }
    stack_.layer.Respond(id, MakeResponse(invite, 180, "Ringing", tag));
    SipMessage ok = MakeResponse(invite, 200, "OK", tag);
    ok.add_header(HeaderId::kContact, "<sip:uas@" + stack_.local().ToString() +
                                          ";transport=" + stack_.transport_name() + ">");
    ok.set_body("application/sdp", kAnswerSdp);
    if (!stack_.layer.Respond(id, ok)) {
      ++errors;
      return;
    }
    auto retransmitter = std::make_unique<Invite2xxRetransmitter>(
        stack_.scheduler, TransactionTimers{}, stack_.sender, [this] { ++errors; });
    retransmitter->Start(ResponseTarget(invite, received), ok.serialize());
    calls_.insert_or_assign(std::string(invite.call_id()),
                            Call{std::move(*dialog), std::move(retransmitter)});
    ++answered;
  }

  void OnBye(ServerTransactionId id, const SipMessage& bye) {
    const auto it = calls_.find(std::string(bye.call_id()));
    if (it == calls_.end()) {
      stack_.layer.Respond(id, MakeResponse(bye, 481, "Call/Transaction Does Not Exist"));
      ++errors;
      return;
    }
    if (!it->second.dialog.OnRemoteRequest(bye)) {
      stack_.layer.Respond(id, MakeResponse(bye, 500, "CSeq Out Of Order"));
      ++errors;
      return;
    }
    stack_.layer.Respond(id, MakeResponse(bye, 200, "OK"));
    calls_.erase(it);
    ++hung_up;
  }

  TestStack stack_;
  std::map<std::string, Call> calls_;
};

int Run(TransportProtocol protocol, int calls) {
  TestUas uas(protocol);
  TestStack& stack = uas.stack();
  const std::string target = stack.local().ToString();
  SippProcess sipp(stack.loop,
                   {"-sn", "uac", target, "-t", protocol == TransportProtocol::kUdp ? "u1" : "t1",
                    // SIPp's own port defaults to 5060: take a free one so nothing else on the
                    // machine (another SIP test, a SIP service) can make it fail to bind.
                    "-i", "127.0.0.1", "-p", std::to_string(FreeUdpPort()),
                    "-m", std::to_string(calls), "-r", "10", "-l", "5",
                    "-timeout", "60s", "-timeout_error", "-nostdin"},
                   "sipp-uac-" + stack.transport_name() + ".log");
  stack.loop.RunUntil([&] { return sipp.exited(); }, SteadyClock::now() + std::chrono::seconds(90));
  std::printf("sipp exit=%d answered=%d acked=%d hung_up=%d errors=%d\n",
              sipp.exit_status().value_or(-1), uas.answered, uas.acked, uas.hung_up, uas.errors);
  const bool ok = sipp.exit_status() == 0 && uas.answered == calls && uas.acked == calls &&
                  uas.hung_up == calls && uas.errors == 0;
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace trunkgate::sip::testing

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s udp|tcp CALLS\n", argv[0]);
    return 2;
  }
  const std::string transport = argv[1];
  using trunkgate::sip::TransportProtocol;
  return trunkgate::sip::testing::Run(
      transport == "tcp" ? TransportProtocol::kTcp : TransportProtocol::kUdp, std::atoi(argv[2]));
}
