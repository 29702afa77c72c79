// A transaction layer wired to a manual clock and a recording sender, with everything the TU is
// told collected for assertions.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sip/transaction/transaction_layer.h"
#include "tests/sip/transaction/manual_scheduler.h"
#include "tests/sip/transaction/messages.h"

namespace trunkgate::sip::testing {

using std::chrono::milliseconds;

class TransactionTest : public ::testing::Test {
 protected:
  TransactionTest() : layer_(scheduler_, sender_, TransactionTimers{}, User()) {
    layer_.SetAgentHost("gw.test");
  }

  TransactionUser User() {
    TransactionUser user;
    user.on_request = [this](ServerTransactionId id, const SipMessage& request,
                             const ReceivedMessage&) {
      requests_.push_back(id);
      methods_.emplace_back(request.method_text());
    };
    user.on_cancel = [this](ServerTransactionId id) { cancelled_.push_back(id); };
    user.on_ack = [this](const SipMessage&, const ReceivedMessage&) { ++acks_; };
    user.on_stray_response = [this](const SipMessage&) { ++strays_; };
    user.on_server_failure = [this](ServerTransactionId, std::string_view reason) {
      server_failures_.emplace_back(reason);
    };
    user.on_malformed = [this](const ReceivedMessage&, std::string_view what) {
      malformed_.emplace_back(what);
    };
    return user;
  }

  ClientTransactionUser ClientUser() {
    return {[this](const SipMessage& response) { responses_.push_back(response.status_code()); },
            [this](std::string_view reason) { client_failures_.emplace_back(reason); }};
  }

  static Endpoint Peer() { return *Endpoint::Parse("198.51.100.7", 5070); }

  void Receive(const std::string& bytes, const Endpoint& source = Peer(),
               TransportProtocol protocol = TransportProtocol::kUdp) {
    layer_.OnReceived(ReceivedMessage{bytes, protocol, source, Endpoint(), 0});
  }

  bool Send(const std::string& request_text, TransportProtocol protocol = TransportProtocol::kUdp) {
    return layer_.SendRequest(SipMessage::parse(request_text).value(),
                              TransportTarget{protocol, Peer(), 0, ""}, ClientUser());
  }

  ManualScheduler scheduler_;
  RecordingSender sender_;
  TransactionLayer layer_;
  std::vector<ServerTransactionId> requests_, cancelled_;
  std::vector<std::string> methods_, server_failures_, client_failures_, malformed_;
  std::vector<int> responses_;
  int acks_ = 0;
  int strays_ = 0;
};

}  // namespace trunkgate::sip::testing
