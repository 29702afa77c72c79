// trunkgate-dp configuration and EAL planning: precise errors, defaults, memory decisions.
#include <gtest/gtest.h>

#include "dataplane/app/config.h"
#include "dataplane/app/eal_setup.h"
#include "dataplane/app/steering.h"
#include "dataplane/channel/schema.h"

using namespace trunkgate::dp;

namespace {

const char* const kMinimal = R"(interfaces:
  - name: a
    device: net_null0
    addresses: [192.0.2.1/24]
)";

std::string error_of(const std::string& yaml) {
  std::string err;
  EXPECT_FALSE(parse_config(yaml, "t.yaml", err)) << yaml;
  return err;
}

TEST(Config, EmbeddedDefaultIsValid) {
  std::string err;
  const auto c = parse_config(kEmbeddedDefaultConfig, "embedded", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->interfaces.size(), 2u);
  EXPECT_EQ(c->interfaces[1].tap, "tgtap-car");
  EXPECT_EQ(c->media_port_min, 20000);
}

TEST(Config, MinimalFileGetsSaneDefaults) {
  std::string err;
  const auto c = parse_config(kMinimal, "t.yaml", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->workers, 1u);
  EXPECT_EQ(c->instance, "default");
  EXPECT_EQ(c->interfaces[0].tap, "tg-a");
  EXPECT_EQ(c->interfaces[0].addresses[0].prefix_len, 24);
}

TEST(Config, ErrorsNameFileLineColumnAndProblem) {
  EXPECT_EQ(error_of(std::string("workers: 0\n") + kMinimal),
            "t.yaml:1:10: workers: 0 is outside 1..32");
  EXPECT_EQ(error_of(std::string("wrokers: 2\n") + kMinimal),
            "t.yaml:1:1: top level: unknown key 'wrokers'");
  EXPECT_NE(error_of("interfaces:\n  - name: a\n    device: x\n    addresses: [192.0.2.1]\n")
                .find("t.yaml:4:17: addresses: '192.0.2.1' is not ADDRESS/PREFIX"),
            std::string::npos);
  EXPECT_NE(error_of("media_ports: 30000-20000\n" + std::string(kMinimal)).find("media_ports"),
            std::string::npos);
  EXPECT_NE(error_of("cpus: 1-x\n" + std::string(kMinimal)).find("cpus: '1-x'"), std::string::npos);
  EXPECT_NE(error_of("instance: a/b\n" + std::string(kMinimal)).find("instance"),
            std::string::npos);
  EXPECT_NE(error_of("interfaces: []\n").find("at least one interface"), std::string::npos);
  EXPECT_NE(error_of("workers: [\n").find("t.yaml:"), std::string::npos);  // YAML syntax
  const std::string dup = std::string(kMinimal) + "  - name: a\n    device: net_null1\n"
                                                  "    addresses: [192.0.2.2/24]\n";
  EXPECT_NE(error_of(dup).find("duplicate name 'a'"), std::string::npos);
  EXPECT_NE(error_of(std::string(kMinimal) + "    gateway: 2001:db8::1\n").find("gateway6"),
            std::string::npos);
}

TEST(Config, CpuListsAndMacs) {
  std::vector<unsigned> cpus;
  ASSERT_TRUE(parse_cpu_list("0-2,5", cpus));
  EXPECT_EQ(cpus, (std::vector<unsigned>{0, 1, 2, 5}));
  EXPECT_FALSE(parse_cpu_list("3-1", cpus));
  EXPECT_FALSE(parse_cpu_list("", cpus));
  EXPECT_FALSE(parse_cpu_list("a", cpus));
  uint8_t mac[6];
  EXPECT_TRUE(parse_mac("02:00:5e:10:00:01", mac));
  EXPECT_EQ(mac[5], 1);
  EXPECT_FALSE(parse_mac("02:00:5e:10:00", mac));
  EXPECT_FALSE(parse_mac("02:00:5e:10:00:01:07", mac));
}

DpConfig minimal() {
  std::string err;
  return *parse_config(kMinimal, "t.yaml", err);
}

bool has_arg(const EalPlan& p, const std::string& a) {
  for (const auto& x : p.args)
    if (x == a) return true;
  return false;
}

TEST(EalPlan, UsesHugepagesOnlyWhenEnoughAreFreeAndMounted) {
  DpConfig c = minimal();
  c.memory_mb = 512;
  EalPlan p;
  std::string err;
  ASSERT_TRUE(plan_eal(c, {256, 2048, true}, p, err)) << err;
  EXPECT_TRUE(p.hugepages);
  EXPECT_TRUE(has_arg(p, "--in-memory"));
  ASSERT_TRUE(plan_eal(c, {100, 2048, true}, p, err));  // 200 MB free < 512 MB
  EXPECT_FALSE(p.hugepages);
  EXPECT_TRUE(has_arg(p, "--no-huge"));
  EXPECT_NE(p.memory_note.find("not enough free hugepages"), std::string::npos);
  ASSERT_TRUE(plan_eal(c, {1000, 2048, false}, p, err));
  EXPECT_NE(p.memory_note.find("no hugetlbfs mount"), std::string::npos);
  c.hugepages = HugepageMode::kRequired;
  EXPECT_FALSE(plan_eal(c, {0, 2048, true}, p, err));
  EXPECT_NE(err.find("hugepages: required"), std::string::npos);
}

TEST(EalPlan, RejectsCpusThatDoNotExistAndMapsLcores) {
  DpConfig c = minimal();
  c.cpus = {0, 4000};
  EalPlan p;
  std::string err;
  EXPECT_FALSE(plan_eal(c, {}, p, err));
  EXPECT_NE(err.find("CPU 4000 does not exist"), std::string::npos) << err;
  c.cpus = {0};
  c.workers = 2;
  ASSERT_TRUE(plan_eal(c, {}, p, err)) << err;
  EXPECT_TRUE(has_arg(p, "--lcores=0@0,1@0,2@0"));
  EXPECT_TRUE(has_arg(p, "--no-pci"));
}

TEST(EalPlan, PciDevicesAreAllowedExplicitly) {
  DpConfig c = minimal();
  c.interfaces[0].device = "0000:3b:00.0";
  EalPlan p;
  std::string err;
  ASSERT_TRUE(plan_eal(c, {}, p, err)) << err;
  EXPECT_TRUE(has_arg(p, "0000:3b:00.0"));
  EXPECT_FALSE(has_arg(p, "--no-pci"));
  EXPECT_TRUE(is_pci_address("3b:00.1"));
  EXPECT_FALSE(is_pci_address("net_af_packet0,iface=eth0"));
}

}  // namespace

namespace {

TEST(Steering, OwnerMatchSelectsExactlyThePortsEachWorkerOwns) {
  for (unsigned n : {2u, 4u, 8u, 16u}) {
    for (unsigned port = 1024; port < 65536; port += 7) {
      unsigned matches = 0;
      for (unsigned w = 0; w < n; ++w) {
        const PortMatch m = owner_port_match(w, n);
        const bool match = (port & m.mask) == m.spec;
        EXPECT_EQ(match, trunkgate::channel::owner_of_port(static_cast<uint16_t>(port), n) == w)
            << "port " << port << " n " << n;
        matches += match;
      }
      EXPECT_EQ(matches, 1u);
    }
  }
}

TEST(Steering, OnlyForPowerOfTwoWorkerCountsOnMultiQueueDevices) {
  EXPECT_FALSE(steering_possible(1, 16));
  EXPECT_TRUE(steering_possible(2, 2));
  EXPECT_FALSE(steering_possible(3, 16));
  EXPECT_FALSE(steering_possible(4, 2));
  EXPECT_TRUE(steering_possible(8, 64));
}

}  // namespace

TEST(Config, TreatedFlowsPerWorkerIsBoundedByFlowsPerWorker) {
  std::string err;
  auto c = parse_config(kMinimal, "t.yaml", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->treated_flows_per_worker, 4096u);
  c = parse_config("flows_per_worker: 1024\n" + std::string(kMinimal), "t.yaml", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->treated_flows_per_worker, 1024u);  // the default never exceeds the flow table
  c = parse_config("treated_flows_per_worker: 0\n" + std::string(kMinimal), "t.yaml", err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->treated_flows_per_worker, 0u);
  EXPECT_EQ(error_of("flows_per_worker: 1024\ntreated_flows_per_worker: 2048\n" +
                     std::string(kMinimal)),
            "t.yaml:2:27: treated_flows_per_worker: 2048 is outside 0..1024");
}
