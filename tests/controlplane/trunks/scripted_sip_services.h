// The layer below the trunk services, scripted by the test: a clock advanced by hand, a resolver
// answering from a table, and request sending that records each request with its transaction
// user, so the test answers (or fails) it explicitly.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controlplane/signaling/sip_services.h"
#include "sip/transaction/response_routing.h"
#include "tests/sip/transaction/manual_scheduler.h"

namespace trunkgate::cp::testing {

// The transaction tests' manual scheduler, plus the time it has reached (the trunk services stamp
// their states with it).
class HandClock final : public sip::TimerScheduler {
 public:
  sip::TimerId Schedule(sip::SteadyClock::duration delay, std::function<void()> callback) override {
    const auto deadline = now_ + delay;
    return timers_.Schedule(delay, [this, deadline, callback = std::move(callback)] {
      now_ = deadline;
      callback();
    });
  }
  void Cancel(sip::TimerId id) override { timers_.Cancel(id); }
  // Runs every timer due within `by`, each at its own deadline.
  void advance(sip::SteadyClock::duration by) {
    const auto until = now_ + by;
    timers_.Advance(by);
    now_ = until;
  }
  sip::SteadyClock::time_point now() const { return sip::SteadyClock::time_point(now_); }

 private:
  sip::testing::ManualScheduler timers_;
  sip::SteadyClock::duration now_{};
};

class ScriptedSipServices final : public SipServices {
 public:
  struct Sent {
    sip::SipMessage request;
    sip::TransportTarget target;
    sip::ClientTransactionUser user;
  };

  sip::TimerScheduler& scheduler() override { return clock; }
  bool send_request(sip::SipMessage request, const sip::TransportTarget& target,
                    sip::ClientTransactionUser user) override {
    if (refuse_sending) return false;
    // As the real endpoint does: the gateway's Via, so responses built from it parse.
    request.prepend_header(sip::HeaderId::kVia,
                           "SIP/2.0/" + std::string(sip::TransportName(target.protocol)) + " " +
                               local + ";branch=z9hG4bK-" + std::to_string(sent.size()) + ";rport");
    sent.push_back({std::move(request), target, std::move(user)});
    return true;
  }
  std::string local_hostport(const sip::TransportTarget&) const override { return local; }
  void resolve(const Trunk& trunk,
               std::function<void(std::vector<sip::TransportTarget>)> done) override {
    resolved.push_back(trunk.peer_host);
    const auto it = dns.find(trunk.peer_host);
    done(it == dns.end() ? std::vector<sip::TransportTarget>{} : it->second);
  }

  // Answers sent[i] with a response built from it; `headers` are (name, value) pairs.
  void respond(std::size_t i, int code, std::string_view reason,
               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    sip::SipMessage response = sip::MakeResponse(sent.at(i).request, code, reason, "peer-tag");
    for (const auto& [name, value] : headers) response.add_header(name, value);
    // Through the parser, as the transaction layer would deliver it.
    const auto parsed = sip::SipMessage::parse(response.serialize());
    sent.at(i).user.on_response(parsed.value());
  }
  void fail(std::size_t i, std::string_view reason = "timeout") {
    sent.at(i).user.on_failure(reason);
  }
  const sip::SipMessage& last() const { return sent.back().request; }

  static sip::TransportTarget target(
      const char* address, uint16_t port,
      sip::TransportProtocol protocol = sip::TransportProtocol::kUdp) {
    return {protocol, *sip::Endpoint::Parse(address, port), 0, {}};
  }

  HandClock clock;
  std::string local = "192.0.2.10:5060";
  std::map<std::string, std::vector<sip::TransportTarget>> dns;
  std::vector<std::string> resolved;
  std::vector<Sent> sent;
  bool refuse_sending = false;
};

// A header's value, or "" when absent.
inline std::string header(const sip::SipMessage& message, sip::HeaderId id) {
  return std::string(message.find(id).value_or(""));
}

}  // namespace trunkgate::cp::testing
