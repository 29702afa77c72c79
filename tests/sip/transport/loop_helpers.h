// Helpers for transport tests on loopback: bounded waits on the event loop, and message capture.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "sip/transport/event_loop.h"
#include "sip/transport/transport_protocol.h"

namespace trunkgate::sip::testing {

// Every wait in these tests is bounded; the bound is far above what loopback needs and only
// matters when the behaviour under test is broken.
inline bool RunUntil(EventLoop& loop, const std::function<bool()>& done) {
  return loop.RunUntil(done, SteadyClock::now() + std::chrono::seconds(5));
}

inline Endpoint Loopback(std::uint16_t port = 0) {
  return *Endpoint::Parse("127.0.0.1", port);
}

struct Inbox {
  std::vector<ReceivedMessage> messages;
  std::vector<std::string> closed_reasons;

  MessageHandler handler() {
    return [this](ReceivedMessage&& message) { messages.push_back(std::move(message)); };
  }
  auto closed_handler() {
    return [this](ConnectionId, const Endpoint&, std::string_view reason) {
      closed_reasons.emplace_back(reason);
    };
  }
};

inline std::string Request(const std::string& method, const std::string& body = "") {
  return method +
         " sip:bob@127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK" +
         method +
         "\r\n"
         "From: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\n"
         "Call-ID: c1@127.0.0.1\r\nCSeq: 1 " +
         method +
         "\r\nMax-Forwards: 70\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace trunkgate::sip::testing
