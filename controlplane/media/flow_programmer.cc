#include "controlplane/media/flow_programmer.h"

namespace trunkgate::cp {

FlowProgrammer::FlowProgrammer(channel::Client client, std::chrono::milliseconds timeout)
    : client_(std::move(client)), timeout_(timeout) {}

void FlowProgrammer::submit(std::vector<channel::Command> commands, Done done,
                            Clock::time_point now) {
  const uint64_t id = next_op_++;
  Op op;
  op.deadline = now + timeout_;
  op.done = std::move(done);
  for (channel::Command& c : commands) {
    const auto type = static_cast<channel::CommandType>(c.hdr.type);
    by_seq_[client_.stamp(c, type)] = Pending{id, type};
  }
  op.commands = std::move(commands);
  const bool empty = op.commands.empty();
  ops_.emplace(id, std::move(op));
  if (empty) {
    finish(id);
    return;
  }
  send_queue_.push_back(id);
  send_queued();
}

void FlowProgrammer::watch(uint64_t cookie, EventHandler handler) {
  watchers_[cookie] = std::move(handler);
}

void FlowProgrammer::unwatch(uint64_t cookie) { watchers_.erase(cookie); }

// Operations go out in submission order; a full ring leaves the rest for the next poll.
void FlowProgrammer::send_queued() {
  while (!send_queue_.empty()) {
    auto it = ops_.find(send_queue_.front());
    if (it == ops_.end()) {  // finished (timed out) before it was fully sent
      send_queue_.pop_front();
      continue;
    }
    Op& op = it->second;
    op.sent += client_.send(&op.commands[op.sent],
                            static_cast<unsigned>(op.commands.size() - op.sent));
    if (op.sent < op.commands.size()) return;
    send_queue_.pop_front();
  }
}

// A command is answered by kCommandError, or by kCommandOk, except that deletes and queries are
// complete only with the kFlowDeleted / kFlowStats that follows their kCommandOk.
void FlowProgrammer::on_answer(const channel::Event& e) {
  auto s = by_seq_.find(e.hdr.seq);
  if (s == by_seq_.end()) return;  // another client's command, or a timed-out operation's
  const auto type = static_cast<channel::EventType>(e.hdr.type);
  const channel::CommandType command = s->second.type;
  const uint64_t op_id = s->second.op;
  Op& op = ops_.at(op_id);
  op.result.answers.push_back(e);
  if (type == channel::EventType::kCommandError) {
    op.result.ok = false;
    op.result.errors.push_back(e);
  }
  const bool awaits_more = type == channel::EventType::kCommandOk &&
                           (command == channel::CommandType::kDeleteFlow ||
                            command == channel::CommandType::kQueryFlow);
  if (awaits_more) return;
  by_seq_.erase(s);
  if (++op.answered == op.commands.size()) finish(op_id);
}

void FlowProgrammer::on_event(const channel::Event& e) {
  if (e.hdr.seq != 0) on_answer(e);
  if (e.cookie != 0) {
    auto w = watchers_.find(e.cookie);
    if (w != watchers_.end()) w->second(e);
  }
}

void FlowProgrammer::finish(uint64_t op_id) {
  auto it = ops_.find(op_id);
  if (it == ops_.end()) return;
  Op op = std::move(it->second);
  ops_.erase(it);
  for (const channel::Command& c : op.commands) by_seq_.erase(c.hdr.seq);
  if (op.done) op.done(op.result);
}

size_t FlowProgrammer::poll(Clock::time_point now) {
  send_queued();
  channel::Event events[64];
  size_t handled = 0;
  unsigned n;
  while ((n = client_.poll_events(events, 64)) > 0) {
    for (unsigned i = 0; i < n; ++i) on_event(events[i]);
    handled += n;
  }
  std::vector<uint64_t> late;
  for (auto& [id, op] : ops_)
    if (now >= op.deadline) late.push_back(id);
  for (uint64_t id : late) {
    ops_.at(id).result.ok = false;
    ops_.at(id).result.timed_out = true;
    finish(id);
  }
  return handled;
}

}  // namespace trunkgate::cp
