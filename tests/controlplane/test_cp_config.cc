#include <gtest/gtest.h>

#include <filesystem>

#include "controlplane/config/cp_config.h"

using namespace trunkgate::cp;

namespace {

const std::string kMinimal = R"(listen: [{address: 192.0.2.1}]
trunks:
  - name: a
    peer: {host: 192.0.2.10}
    media_interface: pbx
    inbound: {sources: [192.0.2.10]}
routes:
  - {name: all, trunks: [a]}
)";

std::string error_of(const std::string& yaml) {
  std::string err;
  EXPECT_FALSE(parse_cp_config(yaml, "cp.yaml", err)) << yaml;
  return err;
}

TEST(CpConfig, EmbeddedDefaultAndMinimalFilesAreValid) {
  std::string err;
  auto c = parse_cp_config(kEmbeddedCpConfig, "embedded", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->trunks.size(), 2u);
  EXPECT_EQ(c->route_table.match(*normalize("911", {}).number)->name, "emergency");
  auto m = parse_cp_config(kMinimal, "cp.yaml", err);
  ASSERT_TRUE(m) << err;
  const Trunk* a = m->trunk("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->inbound_sources[0].length, 32u);  // a bare address is a /32
  EXPECT_EQ(a->codecs, (std::vector<std::string>{"PCMU", "PCMA"}));
  EXPECT_EQ(m->listen[0].port, 5060);
}

TEST(CpConfig, EverySeedExampleInDeployParses) {
  const auto dir = std::filesystem::path(TG_SOURCE_ROOT) / "deploy/examples";
  int n = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() != ".yaml") continue;
    std::string err;
    EXPECT_TRUE(load_cp_config(f.path().string(), err)) << err;
    ++n;
  }
  EXPECT_GE(n, 4);  // 8x8, Microsoft, SIPconnect static and registration
}

// The four seed peers each have a file, written for the systemd unit (CDRs where the unit may
// write, /metrics on loopback).
TEST(CpConfig, SeedExamplesCoverEveryPeerAndFitTheUnit) {
  const auto dir = std::filesystem::path(TG_SOURCE_ROOT) / "deploy/examples";
  const std::pair<const char*, std::vector<std::pair<const char*, TrunkMode>>> kSeeds[] = {
      {"carrier-8x8.yaml", {{"cucm", TrunkMode::kStatic}, {"8x8", TrunkMode::kStatic}}},
      {"microsoft-mediation.yaml", {{"mediation", TrunkMode::kStatic}}},
      {"sipconnect-static.yaml", {{"pbx", TrunkMode::kStatic}, {"provider", TrunkMode::kStatic}}},
      {"sipconnect-registration.yaml", {{"provider", TrunkMode::kRegister}}},
  };
  for (const auto& [file, trunks] : kSeeds) {
    std::string err;
    auto c = load_cp_config((dir / file).string(), err);
    ASSERT_TRUE(c) << file << ": " << err;
    for (const auto& [name, mode] : trunks) {
      const Trunk* t = c->trunk(name);
      ASSERT_NE(t, nullptr) << file << ": no trunk " << name;
      EXPECT_EQ(t->mode, mode) << file << ": " << name;
    }
    EXPECT_EQ(c->cdr_path.rfind("/var/log/trunkgate/", 0), 0u) << file << ": " << c->cdr_path;
    ASSERT_TRUE(c->metrics) << file;
    EXPECT_EQ(c->metrics->address, "127.0.0.1") << file;
  }
}

TEST(CpConfig, ErrorsNameTheLineTheColumnAndTheProblem) {
  EXPECT_EQ(error_of("bogus: 1\n" + kMinimal), "cp.yaml:1:1: top level: unknown key 'bogus'");
  std::string srtp_udp = kMinimal;
  srtp_udp.insert(srtp_udp.find("    inbound"), "    srtp: required\n");
  EXPECT_EQ(error_of(srtp_udp),
            "cp.yaml:6:11: trunk 'a': SRTP keys (SDES) may only be sent over TLS: set "
            "peer.transport: tls");
  std::string bad_route = kMinimal;
  bad_route.replace(bad_route.find("trunks: [a]"), 11, "trunks: [b]");
  EXPECT_EQ(error_of(bad_route), "cp.yaml:8:5: route 'all': no trunk named 'b'");
  std::string codec = kMinimal;
  codec.insert(codec.find("    inbound"), "    codecs: [PCMU, OPUS]\n");
  EXPECT_NE(error_of(codec).find("codecs: 'OPUS' is not one of PCMU, PCMA, G729"),
            std::string::npos);
  std::string transport = kMinimal;
  transport.replace(transport.find("{host: 192.0.2.10}"), 18, "{host: x, transport: sctp}");
  EXPECT_NE(error_of(transport).find("transport: 'sctp' is not one of udp, tcp, tls"),
            std::string::npos);
  std::string reg = kMinimal;
  reg.insert(reg.find("    inbound"), "    mode: register\n");
  EXPECT_NE(error_of(reg).find("mode register needs registration and outbound_credentials"),
            std::string::npos);
  std::string timer = kMinimal;
  timer.insert(timer.find("    inbound"), "    session_timer: {expires: 60}\n");
  EXPECT_NE(error_of(timer).find("session_timer.expires: 60 is outside 90..86400"),
            std::string::npos);
  std::string no_inbound = kMinimal;
  const size_t at = no_inbound.find("    inbound");
  no_inbound.erase(at, no_inbound.find('\n', at) + 1 - at);
  EXPECT_NE(error_of(no_inbound).find("needs inbound"), std::string::npos);
  std::string dup = kMinimal;
  dup.insert(dup.find("routes:"),
             "  - {name: a, peer: {host: h}, media_interface: x, inbound: {sources: [1.2.3.4]}}\n");
  EXPECT_NE(error_of(dup).find("duplicate name 'a'"), std::string::npos);
  EXPECT_NE(error_of("listen: [{address: nothost}]\n").find("is not an IP address"),
            std::string::npos);
  EXPECT_NE(error_of("listen: [{transport: tls, address: 192.0.2.1}]\n").find("tls needs"),
            std::string::npos);
  EXPECT_NE(error_of("listen: [\n").find("cp.yaml:"), std::string::npos);
}

}  // namespace

namespace {

TEST(CpConfig, MetricsAreOffUnlessConfigured) {
  std::string err;
  auto off = parse_cp_config(kMinimal, "cp.yaml", err);
  ASSERT_TRUE(off) << err;
  EXPECT_FALSE(off->metrics);
  auto on = parse_cp_config("metrics: {address: '::1', port: 9100}\n" + kMinimal, "cp.yaml", err);
  ASSERT_TRUE(on) << err;
  ASSERT_TRUE(on->metrics);
  EXPECT_EQ(on->metrics->address, "::1");
  EXPECT_EQ(on->metrics->port, 9100);
  auto defaults = parse_cp_config("metrics: {}\n" + kMinimal, "cp.yaml", err);
  ASSERT_TRUE(defaults) << err;
  EXPECT_EQ(defaults->metrics->address, "127.0.0.1");
  EXPECT_EQ(defaults->metrics->port, 9464);
}

TEST(CpConfig, MetricsAndLogErrors) {
  EXPECT_EQ(error_of("metrics: {address: localhost}\n" + kMinimal),
            "cp.yaml:1:20: metrics.address: 'localhost' is not an IP address");
  EXPECT_NE(error_of("metrics: {port: 0}\n" + kMinimal).find("metrics.port"), std::string::npos);
  EXPECT_NE(error_of("metrics: {path: /m}\n" + kMinimal).find("unknown key 'path'"),
            std::string::npos);
  // spdlog would take an unknown level for "off": refused instead.
  EXPECT_NE(error_of("log: {level: verbose}\n" + kMinimal).find("'verbose' is not one of"),
            std::string::npos);
  std::string err;
  auto c = parse_cp_config(
      "log: {level: warning, hostile_input_lines: 5, hostile_input_interval_s: 30}\n" + kMinimal,
      "cp.yaml", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->log_level, "warning");
  EXPECT_EQ(c->hostile_log_lines, 5u);
  EXPECT_EQ(c->hostile_log_interval_s, 30u);
}

}  // namespace
