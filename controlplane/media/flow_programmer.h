// Programs data-plane flows for the control plane, asynchronously: a batch of commands (say, the
// four flows of a call's RTP and RTCP in both directions) is one operation whose callback runs
// once every command in it was answered, or once it timed out. Unsolicited events (latched,
// media timeout, final counters) go to the handler registered for the flow's cookie, which the
// control plane sets to its call id. Single-threaded: call poll() from the event loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dataplane/channel/client.h"

namespace trunkgate::cp {

struct BatchResult {
  bool ok = true;         // every command succeeded
  bool timed_out = false;  // the data plane did not answer in time
  std::vector<channel::Event> errors;   // one per failed command
  std::vector<channel::Event> answers;  // every answer (stats, final counters...)
};

class FlowProgrammer {
 public:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void(const BatchResult&)>;
  using EventHandler = std::function<void(const channel::Event&)>;

  FlowProgrammer(channel::Client client, std::chrono::milliseconds timeout);

  // Queues the commands (sequence numbers are assigned here) and calls `done` later from poll().
  void submit(std::vector<channel::Command> commands, Done done, Clock::time_point now = Clock::now());
  // Events about flows whose cookie is `cookie`, until unwatch().
  void watch(uint64_t cookie, EventHandler handler);
  void unwatch(uint64_t cookie);

  // Sends what fits in the rings, dispatches events, expires late operations. Returns the number
  // of events handled.
  size_t poll(Clock::time_point now = Clock::now());

  size_t pending() const { return ops_.size(); }
  channel::Client& client() { return client_; }

 private:
  struct Op {
    std::vector<channel::Command> commands;
    size_t sent = 0;
    size_t answered = 0;
    Clock::time_point deadline;
    Done done;
    BatchResult result;
  };

  void send_queued();
  void on_event(const channel::Event& e);
  void on_answer(const channel::Event& e);
  void finish(uint64_t op_id);

  channel::Client client_;
  std::chrono::milliseconds timeout_;
  uint64_t next_op_ = 1;
  std::unordered_map<uint64_t, Op> ops_;
  std::deque<uint64_t> send_queue_;                 // ops with commands not yet in a ring
  struct Pending {
    uint64_t op;
    channel::CommandType type;
  };
  std::unordered_map<uint32_t, Pending> by_seq_;    // command seq -> its op
  std::unordered_map<uint64_t, EventHandler> watchers_;
};

}  // namespace trunkgate::cp
