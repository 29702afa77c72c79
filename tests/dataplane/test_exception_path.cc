// The main lcore's exception path on net_ring ports: frames between a data port and its "TAP"
// (another net_ring port standing in for the kernel), VLAN tags removed towards the kernel and
// added towards the wire, next hops resolved on request, learned from replies, and refreshed.
#include <gtest/gtest.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <cstring>

#include "dataplane/channel/client.h"
#include "dataplane/core/exception_path.h"
#include "tests/dataplane/frames.h"
#include "tests/dataplane/ring_port.h"

using namespace trunkgate;

namespace {

using test::drain_frames;
using test::RingPort;

class ExceptionPathTest : public testing::Test {
 protected:
  void SetUp() override {
    // Virtual devices keep their names on the vdev bus after close: each test uses fresh ones.
    static int instance = 0;
    const std::string sfx = std::to_string(instance++);
    pool_ = rte_pktmbuf_pool_create(("ep-pool" + sfx).c_str(), 1023, 0, 0,
                                    RTE_MBUF_DEFAULT_BUF_SIZE, 0);
    ASSERT_NE(pool_, nullptr);
    wire_ = test::make_ring_port("ep-wire" + sfx, pool_, 64);
    tap_ = test::make_ring_port("ep-tap" + sfx, pool_, 64);
    dp::Interface iface;
    iface.name = "pbx";
    iface.port_id = wire_.id;
    iface.tap_port_id = tap_.id;
    iface.vlan = 7;
    const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x01};
    std::memcpy(iface.mac, mac, 6);
    dp::InterfaceAddress a{};
    channel::parse_address("192.0.2.1", a.addr);
    a.prefix_len = 24;
    iface.addresses = {a};
    ifaces_ = {iface};
    std::string err;
    ASSERT_TRUE(neighbors_.init("ep-neigh" + sfx, 16, 0, err)) << err;
    exc_ = rte_ring_create(("ep-exc" + sfx).c_str(), 64, 0, RING_F_SC_DEQ);
    const uint16_t max_port = std::max(wire_.id, tap_.id);
    dp::ExceptionSetup s;
    s.interfaces = &ifaces_;
    s.exception.assign(max_port + 1, nullptr);
    s.exception[wire_.id] = exc_;
    s.tx.assign(max_port + 1, dp::TxQueue{});
    s.neighbors = &neighbors_;
    s.pool = pool_;
    s.tsc_hz = 1000;  // 1 tick = 1 ms keeps the arithmetic readable
    s.refresh_s = 30;
    path_.init(std::move(s));
  }

  void TearDown() override {
    path_.drain();
    test::destroy_ring_port(wire_);
    test::destroy_ring_port(tap_);
    rte_ring_free(exc_);
    rte_mempool_free(pool_);
  }

  rte_mbuf* mbuf(const std::vector<uint8_t>& bytes) {
    return test::frame_mbuf(pool_, bytes, wire_.id);
  }

  // Advances the clock by `ms`, polls once, and returns how many frames went to the wire.
  size_t advance(uint64_t ms) {
    now_ += ms;
    path_.poll_once(now_);
    return drain_frames(wire_.tx).size();
  }

  int32_t request(const std::string& addr) {
    channel::IpAddr ip;
    channel::parse_address(addr, ip);
    const dp::NeighborKey key = dp::make_neighbor_key(0, ip);
    EXPECT_TRUE(neighbors_.request(key));
    path_.poll_once(now_);
    return neighbors_.find(key);
  }

  rte_mempool* pool_ = nullptr;
  RingPort wire_{}, tap_{};
  rte_ring* exc_ = nullptr;
  std::vector<dp::Interface> ifaces_;
  dp::NeighborTable neighbors_;
  dp::ExceptionPath path_;
  uint64_t now_ = 100000;
};

TEST_F(ExceptionPathTest, WireFramesReachTheKernelUntaggedAndKernelFramesLeaveTagged) {
  test::FrameSpec sip;
  sip.vlan = 7;
  sip.dst_port = 5060;
  sip.payload = {'x'};
  void* m = mbuf(test::build_frame(sip));
  ASSERT_EQ(rte_ring_enqueue(exc_, m), 0);
  sip.vlan = 0;
  ASSERT_EQ(rte_ring_enqueue(tap_.rx, mbuf(test::build_frame(sip))), 0);
  path_.poll_once(now_);
  const auto to_kernel = drain_frames(tap_.tx);
  ASSERT_EQ(to_kernel.size(), 1u);
  EXPECT_EQ(test::be16(&to_kernel[0][12]), 0x0800);  // tag removed
  const auto to_wire = drain_frames(wire_.tx);
  ASSERT_EQ(to_wire.size(), 1u);
  EXPECT_EQ(test::be16(&to_wire[0][12]), 0x8100);
  EXPECT_EQ(test::be16(&to_wire[0][14]) & 0xfff, 7);
  EXPECT_EQ(path_.counters().to_kernel, 1u);
  EXPECT_EQ(path_.counters().from_kernel, 1u);
}

TEST_F(ExceptionPathTest, ResolvesOnRequestLearnsFromTheReplyAndRefreshes) {
  const int32_t idx = request("192.0.2.10");
  ASSERT_NE(idx, dp::NeighborTable::kNone);
  auto sent = drain_frames(wire_.tx);
  ASSERT_EQ(sent.size(), 1u);  // an ARP request, tagged for the interface's VLAN
  EXPECT_EQ(test::be16(&sent[0][16]), 0x0806);
  EXPECT_EQ(test::ip_bytes("192.0.2.10"), std::vector<uint8_t>(&sent[0][42], &sent[0][46]));
  uint8_t mac[6];
  EXPECT_FALSE(neighbors_.mac(idx, mac));

  // Unresolved: asked again after a second, not before.
  EXPECT_EQ(advance(999), 0u);
  EXPECT_EQ(advance(1), 1u);

  // The reply passes through the exception path to the kernel and teaches the MAC.
  uint8_t reply[dp::kMaxResolutionFrame];
  const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x10};
  const auto peer = test::ip_bytes("192.0.2.10"), us = test::ip_bytes("192.0.2.1");
  dp::build_arp_request(reply, peer_mac, 0, peer.data(), us.data());
  reply[21] = 2;
  ASSERT_EQ(rte_ring_enqueue(exc_, mbuf({reply, reply + 60})), 0);
  path_.poll_once(now_);
  ASSERT_TRUE(neighbors_.mac(idx, mac));
  EXPECT_EQ(0, std::memcmp(mac, peer_mac, 6));
  EXPECT_EQ(drain_frames(tap_.tx).size(), 1u);  // the kernel saw the reply too

  // Resolved: refreshed every refresh_s (30 s), keeping the known MAC meanwhile.
  drain_frames(wire_.tx);
  EXPECT_EQ(advance(29999), 0u);
  EXPECT_EQ(advance(1001), 1u);
  EXPECT_TRUE(neighbors_.mac(idx, mac));
}

TEST_F(ExceptionPathTest, StaticNeighborsAreNeverOverwrittenOrRefreshed) {
  channel::IpAddr ip;
  channel::parse_address("192.0.2.20", ip);
  const uint8_t fixed[6] = {0x02, 0, 0, 0, 0, 0x20};
  ASSERT_TRUE(path_.add_static(0, ip, fixed));
  uint8_t spoof[dp::kMaxResolutionFrame];
  const uint8_t other[6] = {0x02, 0, 0, 0, 0, 0x66};
  const auto a = test::ip_bytes("192.0.2.20");
  dp::build_arp_request(spoof, other, 0, a.data(), a.data());
  ASSERT_EQ(rte_ring_enqueue(exc_, mbuf({spoof, spoof + 60})), 0);
  now_ += 100000;
  path_.poll_once(now_);
  uint8_t mac[6];
  ASSERT_TRUE(neighbors_.mac(neighbors_.find(dp::make_neighbor_key(0, ip)), mac));
  EXPECT_EQ(0, std::memcmp(mac, fixed, 6));
  drain_frames(tap_.tx);
  EXPECT_TRUE(drain_frames(wire_.tx).empty());  // no ARP for a static entry
}

}  // namespace
