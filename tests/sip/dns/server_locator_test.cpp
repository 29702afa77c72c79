// RFC 3263 location against a real DNS server on loopback (FakeDnsServer) through c-ares.
#include "sip/dns/server_locator.h"

#include <arpa/nameser.h>
#include <gtest/gtest.h>

#include "sip/transport/socket_ops.h"
#include "tests/sip/dns/fake_dns_server.h"

namespace trunkgate::sip {
namespace {

using testing::FakeDnsServer;

std::vector<std::string> Describe(const std::vector<TransportTarget>& targets) {
  std::vector<std::string> out;
  for (const auto& t : targets) {
    out.push_back(std::string(TransportName(t.protocol)) + " " + t.endpoint.ToString() +
                  (t.server_domain.empty() ? "" : " " + t.server_domain));
  }
  return out;
}

class ServerLocatorTest : public ::testing::Test {
 protected:
  DnsResolverConfig Config() {
    DnsResolverConfig config;
    config.servers = {server_.endpoint()};
    return config;
  }

  std::vector<std::string> Locate(const LocateRequest& request) {
    std::optional<std::vector<TransportTarget>> result;
    locator_.Locate(request, [&](std::vector<TransportTarget> targets) { result = targets; });
    EXPECT_TRUE(loop_.RunUntil([&] { return result.has_value(); },
                               SteadyClock::now() + std::chrono::seconds(10)));
    return result ? Describe(*result) : std::vector<std::string>{"<no answer>"};
  }

  void AddTrunk() {
    server_.AddNaptr("trunk.example", {10, 10, "s", "SIP+D2T", "_sip._tcp.trunk.example"});
    server_.AddNaptr("trunk.example", {10, 20, "s", "SIP+D2U", "_sip._udp.trunk.example"});
    server_.AddNaptr("trunk.example", {5, 10, "s", "SIP+D2S", "_sip._sctp.trunk.example"});
    server_.AddSrv("_sip._tcp.trunk.example", {20, 0, 5080, "b.trunk.example"});
    server_.AddSrv("_sip._tcp.trunk.example", {10, 0, 5070, "a.trunk.example"});
    server_.AddSrv("_sip._udp.trunk.example", {10, 0, 5060, "a.trunk.example"});
    server_.AddA("a.trunk.example", "192.0.2.1");
    server_.AddAaaa("a.trunk.example", "2001:db8::1");
    server_.AddA("b.trunk.example", "192.0.2.2");
  }

  EventLoop loop_;
  FakeDnsServer server_{loop_};
  DnsResolver resolver_{loop_, Config()};
  ServerLocator locator_{resolver_, [](std::uint32_t) { return 0u; }};
};

TEST_F(ServerLocatorTest, NaptrThenSrvThenAddressesInRfc3263Order) {
  AddTrunk();
  EXPECT_EQ(Locate({"trunk.example", std::nullopt, std::nullopt, false}),
            (std::vector<std::string>{"TCP 192.0.2.1:5070", "TCP [2001:db8::1]:5070",
                                      "TCP 192.0.2.2:5080", "UDP 192.0.2.1:5060",
                                      "UDP [2001:db8::1]:5060"}));
  EXPECT_EQ(server_.queries("_sip._sctp.trunk.example", ns_t_srv), 0);  // no SCTP transport
}

TEST_F(ServerLocatorTest, AnswersComeFromTheCacheTheSecondTime) {
  AddTrunk();
  const auto first = Locate({"trunk.example", std::nullopt, std::nullopt, false});
  const int queries = server_.total_queries();
  EXPECT_EQ(Locate({"TRUNK.example", std::nullopt, std::nullopt, false}), first);
  EXPECT_EQ(server_.total_queries(), queries);
  EXPECT_GT(resolver_.stats().cache_hits, 0u);
}

TEST_F(ServerLocatorTest, WithoutNaptrTriesSrvPerTransportInPreferenceOrder) {
  server_.AddSrv("_sip._udp.carrier.example", {10, 0, 5062, "sbc.carrier.example"});
  server_.AddSrv("_sips._tcp.carrier.example", {10, 0, 5061, "sbc.carrier.example"});
  server_.AddA("sbc.carrier.example", "198.51.100.5");
  EXPECT_EQ(
      Locate({"carrier.example", std::nullopt, std::nullopt, false}),
      (std::vector<std::string>{"TLS 198.51.100.5:5061 carrier.example", "UDP 198.51.100.5:5062"}));
}

TEST_F(ServerLocatorTest, WithoutNaptrOrSrvUsesTheHostOnTheDefaultPort) {
  server_.AddA("pbx.example", "203.0.113.7");
  EXPECT_EQ(Locate({"pbx.example", std::nullopt, std::nullopt, false}),
            std::vector<std::string>{"UDP 203.0.113.7:5060"});
  EXPECT_EQ(Locate({"pbx.example", std::nullopt, std::nullopt, true}),
            std::vector<std::string>{"TLS 203.0.113.7:5061 pbx.example"});
}

TEST_F(ServerLocatorTest, AnExplicitPortSkipsNaptrAndSrv) {
  AddTrunk();
  EXPECT_EQ(Locate({"a.trunk.example", 5099, TransportProtocol::kTcp, false}),
            (std::vector<std::string>{"TCP 192.0.2.1:5099", "TCP [2001:db8::1]:5099"}));
  EXPECT_EQ(server_.queries("a.trunk.example", ns_t_naptr), 0);
  EXPECT_EQ(server_.queries("_sip._tcp.a.trunk.example", ns_t_srv), 0);
}

TEST_F(ServerLocatorTest, AnExplicitTransportQueriesOnlyItsSrv) {
  AddTrunk();
  EXPECT_EQ(Locate({"trunk.example", std::nullopt, TransportProtocol::kUdp, false}),
            (std::vector<std::string>{"UDP 192.0.2.1:5060", "UDP [2001:db8::1]:5060"}));
  EXPECT_EQ(server_.queries("trunk.example", ns_t_naptr), 0);
}

TEST_F(ServerLocatorTest, NumericHostsNeedNoDns) {
  EXPECT_EQ(Locate({"192.0.2.44", std::nullopt, TransportProtocol::kTcp, false}),
            std::vector<std::string>{"TCP 192.0.2.44:5060"});
  EXPECT_EQ(Locate({"[2001:db8::9]", 5070, std::nullopt, false}),
            std::vector<std::string>{"UDP [2001:db8::9]:5070"});
  EXPECT_EQ(server_.total_queries(), 0);
}

TEST_F(ServerLocatorTest, UnknownDomainResolvesToNothing) {
  EXPECT_TRUE(Locate({"nowhere.example", std::nullopt, std::nullopt, false}).empty());
}

TEST(DnsResolver, AnUnansweredServerEndsInAnEmptyResultAfterTheTimeout) {
  EventLoop loop;
  DnsResolverConfig config;
  // A bound UDP port that is never read: queries vanish, as with a dead server.
  SocketFd sink = OpenBoundSocket(SOCK_DGRAM, *Endpoint::Parse("127.0.0.1", 0));
  config.servers = {LocalEndpointOf(sink.get())};
  config.timeout = std::chrono::milliseconds(50);
  config.tries = 1;
  DnsResolver resolver(loop, config);
  std::optional<std::vector<SrvRecord>> result;
  resolver.LookupSrv("_sip._udp.example", [&](std::vector<SrvRecord> r) { result = r; });
  ASSERT_TRUE(loop.RunUntil([&] { return result.has_value(); },
                            SteadyClock::now() + std::chrono::seconds(10)));
  EXPECT_TRUE(result->empty());
  EXPECT_EQ(resolver.stats().failures, 1u);
}

TEST(MinAnswerTtl, ReadsTheSmallestTtlAndSurvivesEveryTruncation) {
  EventLoop loop;
  FakeDnsServer server(loop);
  server.AddA("h.example", "192.0.2.1", 300);
  server.AddA("h.example", "192.0.2.2", 60);
  const std::string answer = server.Answer("h.example", ns_t_a);
  const auto* bytes = reinterpret_cast<const unsigned char*>(answer.data());
  EXPECT_EQ(MinAnswerTtl(bytes, static_cast<int>(answer.size())), 60u);
  for (std::size_t size = 0; size < answer.size(); ++size) {
    EXPECT_FALSE(MinAnswerTtl(bytes, static_cast<int>(size))) << size;
  }
}

}  // namespace
}  // namespace trunkgate::sip
