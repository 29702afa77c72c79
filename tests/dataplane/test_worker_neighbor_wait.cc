// Packets toward a next hop the gateway is still resolving wait (bounded in count and time) and
// leave in order once the main lcore learns the MAC, instead of being dropped: a call's first RTP
// packets usually race the ARP/ND exchange for the peer.
#include <gtest/gtest.h>

#include <cstring>

#include "dataplane/core/neighbor_wait.h"
#include "tests/dataplane/frames.h"
#include "tests/dataplane/worker_harness.h"

using namespace trunkgate;
using channel::CommandType;
using channel::EventType;
using test::WorkerHarness;

namespace {

// 198.51.100.20 is on the carrier interface, and the harness has not preset its MAC.
constexpr const char* kUnresolvedPeer = "198.51.100.20";
const uint8_t kLearnedMac[6] = {0x02, 0, 0, 0, 0, 0x77};

std::vector<uint8_t> rtp_frame(uint16_t dst_port, uint16_t seq) {
  test::FrameSpec s;
  s.dst_port = dst_port;
  s.src_ip = "192.0.2.10";
  s.src_port = 40000;
  s.payload = test::rtp_payload(seq, seq * 160u, 0x1234);
  return test::build_frame(s);
}

EventType type_of(const channel::Event& e) {
  return static_cast<EventType>(e.hdr.type);
}

void add(WorkerHarness& h, uint16_t key_port) {
  const auto spec =
      h.relay_spec(key_port, std::string(kUnresolvedPeer) + ":30000", key_port + 2000);
  const auto ev =
      h.command(channel::make_flow_command(CommandType::kAddFlow, spec), CommandType::kAddFlow);
  ASSERT_EQ(ev.size(), 1u);
  ASSERT_EQ(type_of(ev[0]), EventType::kCommandOk) << ev[0].error;
}

dp::NeighborKey unresolved_key() {
  channel::IpAddr ip;
  channel::parse_address(kUnresolvedPeer, ip);
  return dp::make_neighbor_key(1, ip);
}

// What the main lcore does: take the workers' requests, then learn the MAC from the reply.
void learn_mac(WorkerHarness& h) {
  dp::NeighborKey asked[8];
  const unsigned n = h.neighbors().drain_requests(asked, 8);
  ASSERT_EQ(n, 1u) << "the worker asked for its next hop once";
  const dp::NeighborKey expected = unresolved_key();
  ASSERT_EQ(0, std::memcmp(&asked[0], &expected, sizeof(expected)));
  h.neighbors().set_mac(h.neighbors().insert(asked[0]), kLearnedMac);
}

uint16_t rtp_seq(const std::vector<uint8_t>& frame) {
  return test::be16(&frame[42 + 2]);
}

channel::Event query(WorkerHarness& h, uint16_t key_port) {
  const auto q = h.command(channel::make_key_command(CommandType::kQueryFlow,
                                                     h.relay_spec(key_port, "1.1.1.1:1", 1).key),
                           CommandType::kQueryFlow);
  EXPECT_EQ(q.size(), 2u);
  return q.back();
}

}  // namespace

TEST(WorkerNeighborWait, HeldPacketsLeaveInOrderOnceTheMacIsLearned) {
  WorkerHarness h;
  add(h, 20000);
  for (uint16_t seq = 1; seq <= 3; ++seq) h.inject(0, rtp_frame(20000, seq));
  h.poll();
  EXPECT_TRUE(h.sent(1).empty());
  auto st = h.stats();
  EXPECT_EQ(st.rx, 3u);
  EXPECT_EQ(st.tx, 0u);
  EXPECT_EQ(st.drops[channel::kDropNoNeighbor], 0u);

  learn_mac(h);
  h.inject(0, rtp_frame(20000, 4));  // arrives with the MAC known: must not overtake 1..3
  h.poll();
  const auto out = h.sent(1);
  ASSERT_EQ(out.size(), 4u);
  for (uint16_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rtp_seq(out[i]), i + 1);
    EXPECT_EQ(0, std::memcmp(&out[i][0], kLearnedMac, 6));
    EXPECT_TRUE(test::checksums_valid(out[i], 14));
  }
  st = h.stats();
  EXPECT_EQ(st.tx, 4u);
  EXPECT_EQ(query(h, 20000).counters.packets, 4u);
}

TEST(WorkerNeighborWait, PacketsThatWaitTooLongAreDroppedAndCounted) {
  WorkerHarness h;
  add(h, 20000);
  h.inject(0, rtp_frame(20000, 1));
  h.poll();
  h.now += (dp::kNeighborWaitMs - 1) * h.ms;
  h.poll();
  EXPECT_EQ(h.stats().drops[channel::kDropNoNeighbor], 0u) << "still within its wait";
  h.inject(0, rtp_frame(20000, 2));
  h.now += 2 * h.ms;
  h.poll();
  EXPECT_EQ(h.stats().drops[channel::kDropNoNeighbor], 1u) << "the first packet expired";
  EXPECT_EQ(query(h, 20000).counters.drops[channel::kFlowDropNoNeighbor], 1u);

  learn_mac(h);
  h.poll();
  const auto out = h.sent(1);
  ASSERT_EQ(out.size(), 1u) << "the second packet had not waited too long";
  EXPECT_EQ(rtp_seq(out[0]), 2);
}

TEST(WorkerNeighborWait, AFullQueueDropsTheExcessAndDeletionCountsWhatWasHeld) {
  WorkerHarness h;
  add(h, 20000);
  // The net_ring RX ring holds fewer frames than the wait queue: fill it in rounds.
  unsigned injected = 0;
  while (injected < dp::kNeighborWaitPackets + 5) {
    for (unsigned i = 0; i < 64 && injected < dp::kNeighborWaitPackets + 5; ++i, ++injected)
      h.inject(0, rtp_frame(20000, static_cast<uint16_t>(injected + 1)));
    h.poll();
  }
  EXPECT_EQ(h.stats().drops[channel::kDropNoNeighbor], 5u);
  EXPECT_TRUE(h.sent(1).empty());

  const auto ev = h.command(
      channel::make_key_command(CommandType::kDeleteFlow, h.relay_spec(20000, "1.1.1.1:1", 1).key),
      CommandType::kDeleteFlow);
  ASSERT_EQ(ev.size(), 2u);
  ASSERT_EQ(type_of(ev[1]), EventType::kFlowDeleted);
  EXPECT_EQ(ev[1].counters.drops[channel::kFlowDropNoNeighbor], dp::kNeighborWaitPackets + 5);
  EXPECT_EQ(h.stats().drops[channel::kDropNoNeighbor], dp::kNeighborWaitPackets + 5);

  // Nothing of the deleted flow is left waiting: learning the MAC sends nothing.
  learn_mac(h);
  h.poll();
  EXPECT_TRUE(h.sent(1).empty());
}
