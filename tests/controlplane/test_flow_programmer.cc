// FlowProgrammer against the real channel (shm region and rings); the test plays the data plane
// by answering commands from the rings, which is the layer below the one under test.
#include <gtest/gtest.h>
#include <rte_ring_elem.h>
#include <unistd.h>

#include "controlplane/media/flow_programmer.h"
#include "dataplane/channel/region.h"

using namespace trunkgate;
using channel::CommandType;
using channel::EventType;

namespace {

class FakeDataPlane {
 public:
  explicit FakeDataPlane(unsigned workers) {
    static int n = 0;
    channel::RegionParams p;
    p.instance = "fp" + std::to_string(getpid()) + "-" + std::to_string(n++);
    p.n_workers = workers;
    p.command_ring_slots = 16;
    std::string err;
    EXPECT_TRUE(channel::Region::create(p, region_, err)) << err;
    region_.publish();
    instance_ = p.instance;
  }
  channel::Client client() {
    std::string err;
    auto c = channel::Client::attach(instance_, err);
    EXPECT_TRUE(c) << err;
    return std::move(*c);
  }
  // Takes every queued command; answers each as the real worker would (error for port 20666).
  std::vector<channel::Command> answer_all() {
    std::vector<channel::Command> taken;
    for (unsigned w = 0; w < region_.header().n_workers; ++w) {
      channel::Command c[16];
      unsigned n;
      while ((n = rte_ring_dequeue_burst_elem(region_.command_ring(w), c, sizeof(c[0]), 16,
                                              nullptr)) > 0)
        taken.insert(taken.end(), c, c + n);
    }
    for (const channel::Command& c : taken) {
      const bool fail = c.spec.key.port == 20666;
      emit(fail ? EventType::kCommandError : EventType::kCommandOk, c);
      if (!fail && c.hdr.type == static_cast<uint16_t>(CommandType::kDeleteFlow))
        emit(EventType::kFlowDeleted, c);
    }
    return taken;
  }
  void emit(EventType type, const channel::Command& c) {
    channel::Event e{};
    e.hdr.version = channel::kSchemaVersion;
    e.hdr.type = static_cast<uint16_t>(type);
    e.hdr.seq = c.hdr.seq;
    e.cookie = c.spec.cookie;
    e.key = c.spec.key;
    if (type == EventType::kCommandError)
      e.error = static_cast<int16_t>(channel::CommandError::kNoSuchFlow);
    if (type == EventType::kFlowDeleted) e.counters.packets = 123;
    ASSERT_EQ(rte_ring_enqueue_elem(region_.event_ring(), &e, sizeof(e)), 0);
  }

 private:
  channel::Region region_;
  std::string instance_;
};

channel::Command add_cmd(uint16_t port, uint64_t cookie) {
  channel::FlowSpec s{};
  s.key.addr.family = channel::Family::kIPv4;
  s.key.port = port;
  s.cookie = cookie;
  return channel::make_flow_command(CommandType::kAddFlow, s);
}

channel::Command del_cmd(uint16_t port, uint64_t cookie) {
  channel::Command c = add_cmd(port, cookie);
  c.hdr.type = static_cast<uint16_t>(CommandType::kDeleteFlow);
  return c;
}

TEST(FlowProgrammer, ABatchCompletesOnceEveryCommandIsAnswered) {
  FakeDataPlane dp(2);
  cp::FlowProgrammer fp(dp.client(), std::chrono::milliseconds(1000));
  int calls = 0;
  cp::BatchResult got;
  fp.submit({add_cmd(20000, 7), add_cmd(20001, 7), add_cmd(20002, 7), add_cmd(20003, 7)},
            [&](const cp::BatchResult& r) {
              ++calls;
              got = r;
            });
  fp.poll();
  EXPECT_EQ(calls, 0);  // nothing answered yet
  EXPECT_EQ(dp.answer_all().size(), 4u);
  fp.poll();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(got.ok);
  EXPECT_EQ(got.answers.size(), 4u);
  EXPECT_EQ(fp.pending(), 0u);
}

TEST(FlowProgrammer, FailuresAreReportedPerCommand) {
  FakeDataPlane dp(1);
  cp::FlowProgrammer fp(dp.client(), std::chrono::milliseconds(1000));
  cp::BatchResult got;
  fp.submit({add_cmd(20000, 1), add_cmd(20666, 1)}, [&](const cp::BatchResult& r) { got = r; });
  dp.answer_all();
  fp.poll();
  EXPECT_FALSE(got.ok);
  ASSERT_EQ(got.errors.size(), 1u);
  EXPECT_EQ(got.errors[0].key.port, 20666);
}

TEST(FlowProgrammer, DeletesCompleteWithTheirFinalCountersAndWatchersSeeThem) {
  FakeDataPlane dp(1);
  cp::FlowProgrammer fp(dp.client(), std::chrono::milliseconds(1000));
  std::vector<EventType> seen;
  fp.watch(42, [&](const channel::Event& e) { seen.push_back(static_cast<EventType>(e.hdr.type)); });
  cp::BatchResult got;
  bool done = false;
  fp.submit({del_cmd(20000, 42)}, [&](const cp::BatchResult& r) {
    got = r;
    done = true;
  });
  dp.answer_all();
  fp.poll();
  ASSERT_TRUE(done);
  ASSERT_EQ(got.answers.size(), 2u);
  EXPECT_EQ(got.answers[1].counters.packets, 123u);
  EXPECT_EQ(seen, (std::vector<EventType>{EventType::kCommandOk, EventType::kFlowDeleted}));
  fp.unwatch(42);
}

TEST(FlowProgrammer, FullRingsDelaySendingWithoutLosingOrReorderingCommands) {
  FakeDataPlane dp(1);  // 16-slot command ring holds 15
  cp::FlowProgrammer fp(dp.client(), std::chrono::milliseconds(1000));
  int done = 0;
  std::vector<channel::Command> batch;
  for (uint16_t i = 0; i < 40; ++i) batch.push_back(add_cmd(static_cast<uint16_t>(20000 + 2 * i), 1));
  fp.submit(batch, [&](const cp::BatchResult& r) { done += r.ok; });
  std::vector<uint16_t> ports;
  for (int round = 0; round < 5 && done == 0; ++round) {
    for (const auto& c : dp.answer_all()) ports.push_back(c.spec.key.port);
    fp.poll();
  }
  EXPECT_EQ(done, 1);
  ASSERT_EQ(ports.size(), 40u);
  for (size_t i = 0; i < ports.size(); ++i) EXPECT_EQ(ports[i], 20000 + 2 * i);
}

TEST(FlowProgrammer, AnUnansweredBatchTimesOut) {
  FakeDataPlane dp(1);
  cp::FlowProgrammer fp(dp.client(), std::chrono::milliseconds(50));
  cp::BatchResult got;
  bool done = false;
  const auto t0 = cp::FlowProgrammer::Clock::now();
  fp.submit({add_cmd(20000, 1)},
            [&](const cp::BatchResult& r) {
              got = r;
              done = true;
            },
            t0);
  fp.poll(t0 + std::chrono::milliseconds(49));
  EXPECT_FALSE(done);
  fp.poll(t0 + std::chrono::milliseconds(50));
  ASSERT_TRUE(done);
  EXPECT_TRUE(got.timed_out);
  EXPECT_FALSE(got.ok);
  // A late answer for a finished operation is ignored.
  dp.answer_all();
  fp.poll();
  EXPECT_EQ(fp.pending(), 0u);
}

}  // namespace
