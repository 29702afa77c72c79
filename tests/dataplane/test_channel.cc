// The shared-memory channel without EAL: region layout, attach checks, command routing by owner.
#include <gtest/gtest.h>
#include <rte_ring_elem.h>
#include <unistd.h>

#include "dataplane/channel/client.h"
#include "dataplane/channel/region.h"

using namespace trunkgate::channel;

namespace {

std::string instance_name(const char* what) {
  return std::string("t") + what + "-" + std::to_string(getpid());
}

Region make_region(const std::string& name, unsigned workers) {
  RegionParams p;
  p.instance = name;
  p.n_workers = workers;
  p.command_ring_slots = 64;
  p.event_ring_slots = 64;
  Region r;
  std::string err;
  EXPECT_TRUE(Region::create(p, r, err)) << err;
  return r;
}

TEST(Channel, AttachFailsPreciselyWhenNoDataPlaneRuns) {
  std::string err;
  EXPECT_FALSE(Client::attach(instance_name("none"), err));
  EXPECT_NE(err.find("is not running"), std::string::npos) << err;
  EXPECT_FALSE(Client::attach("bad/name", err));
  EXPECT_NE(err.find("instance name"), std::string::npos) << err;
}

TEST(Channel, AttachWaitsForPublishAndChecksTheVersion) {
  const std::string name = instance_name("ver");
  Region dp = make_region(name, 1);
  std::string err;
  EXPECT_FALSE(Client::attach(name, err));
  EXPECT_NE(err.find("still starting"), std::string::npos) << err;
  dp.publish();
  dp.header().version = kSchemaVersion + 1;
  EXPECT_FALSE(Client::attach(name, err));
  EXPECT_NE(err.find("schema version"), std::string::npos) << err;
  dp.header().version = kSchemaVersion;
  EXPECT_TRUE(Client::attach(name, err)) << err;
}

TEST(Channel, SecondCreateOfALiveInstanceIsRefused) {
  const std::string name = instance_name("dup");
  Region first = make_region(name, 1);
  RegionParams p;
  p.instance = name;
  Region second;
  std::string err;
  EXPECT_FALSE(Region::create(p, second, err));
  EXPECT_NE(err.find("already running"), std::string::npos) << err;
}

TEST(Channel, CommandsReachTheRingOfTheWorkerOwningTheirPortInOrder) {
  const std::string name = instance_name("route");
  Region dp = make_region(name, 3);
  dp.publish();
  std::string err;
  auto c = Client::attach(name, err);
  ASSERT_TRUE(c) << err;
  std::vector<Command> cmds;
  for (uint16_t port = 20000; port < 20012; ++port) {
    FlowKey k{};
    k.port = port;
    Command cmd = make_key_command(CommandType::kQueryFlow, k);
    c->stamp(cmd, CommandType::kQueryFlow);
    cmds.push_back(cmd);
  }
  ASSERT_EQ(c->send(cmds.data(), static_cast<unsigned>(cmds.size())), cmds.size());
  size_t total = 0;
  for (unsigned w = 0; w < 3; ++w) {
    Command got[16];
    const unsigned n =
        rte_ring_dequeue_burst_elem(dp.command_ring(w), got, sizeof(Command), 16, nullptr);
    uint32_t last_seq = 0;
    for (unsigned i = 0; i < n; ++i) {
      EXPECT_EQ(owner_of_port(got[i].spec.key.port, 3), w);
      EXPECT_EQ(got[i].hdr.version, kSchemaVersion);
      EXPECT_GT(got[i].hdr.seq, last_seq);  // order preserved per worker
      last_seq = got[i].hdr.seq;
    }
    total += n;
  }
  EXPECT_EQ(total, cmds.size());
  EXPECT_EQ(owner_of_port(20000, 3), owner_of_port(20001, 3));  // RTP and RTCP share a worker
}

TEST(Channel, SendStopsAtAFullRingAndReportsHowManyWent) {
  const std::string name = instance_name("full");
  Region dp = make_region(name, 1);
  dp.publish();
  std::string err;
  auto c = Client::attach(name, err);
  ASSERT_TRUE(c) << err;
  std::vector<Command> cmds(100, make_key_command(CommandType::kQueryFlow, FlowKey{}));
  EXPECT_EQ(c->send(cmds.data(), 100), 63u);  // a 64-slot ring holds 63
}

TEST(Channel, EndpointParsingAcceptsBothFamiliesAndRejectsGarbage) {
  Endpoint e;
  std::string err;
  ASSERT_TRUE(parse_endpoint("[2001:db8::1]:20000", e, err));
  EXPECT_EQ(e.addr.family, Family::kIPv6);
  EXPECT_EQ(to_string(e), "[2001:db8::1]:20000");
  ASSERT_TRUE(parse_endpoint("192.0.2.1:5", e, err));
  EXPECT_EQ(to_string(e), "192.0.2.1:5");
  EXPECT_FALSE(parse_endpoint("192.0.2.1", e, err));
  EXPECT_FALSE(parse_endpoint("192.0.2.1:0", e, err));
  EXPECT_FALSE(parse_endpoint("192.0.2.1:70000", e, err));
  EXPECT_FALSE(parse_endpoint("example.com:5", e, err));
}

}  // namespace
