#include "controlplane/trunks/inbound_classifier.h"

#include <gtest/gtest.h>

namespace trunkgate::cp {
namespace {

Trunk trunk(std::string name, std::vector<IpPrefix> sources) {
  Trunk t;
  t.name = std::move(name);
  t.inbound_sources = std::move(sources);
  return t;
}

std::string match(const InboundClassifier& classifier, const char* address) {
  const Trunk* t = classifier.match_source(*sip::Endpoint::Parse(address, 5060));
  return t == nullptr ? "none" : t->name;
}

TEST(TrunkClassifier, LongestPrefixWinsAcrossTrunks) {
  const std::vector<Trunk> trunks = {
      trunk("carrier", {{"203.0.113.0", 24}}),
      trunk("carrier-host", {{"203.0.113.7", 32}}),
      trunk("wide", {{"203.0.0.0", 16}}),
  };
  const InboundClassifier classifier(trunks);
  EXPECT_EQ(match(classifier, "203.0.113.7"), "carrier-host");
  EXPECT_EQ(match(classifier, "203.0.113.8"), "carrier");
  EXPECT_EQ(match(classifier, "203.0.114.1"), "wide");
  EXPECT_EQ(match(classifier, "198.51.100.1"), "none");
}

TEST(TrunkClassifier, PrefixesNotOnByteBoundaries) {
  const std::vector<Trunk> trunks = {trunk("a", {{"10.0.0.128", 25}}),
                                     trunk("b", {{"10.0.0.0", 23}})};
  const InboundClassifier classifier(trunks);
  EXPECT_EQ(match(classifier, "10.0.0.200"), "a");
  EXPECT_EQ(match(classifier, "10.0.0.127"), "b");
  EXPECT_EQ(match(classifier, "10.0.1.255"), "b");
  EXPECT_EQ(match(classifier, "10.0.2.0"), "none");
}

TEST(TrunkClassifier, Ipv6PrefixesAndFamiliesKeptApart) {
  const std::vector<Trunk> trunks = {
      trunk("v6-wide", {{"2001:db8::", 32}}),
      trunk("v6-narrow", {{"[2001:db8:0:5::]", 64}}),
      trunk("v4-any", {{"0.0.0.0", 0}}),
  };
  const InboundClassifier classifier(trunks);
  EXPECT_EQ(match(classifier, "2001:db8:0:5::9"), "v6-narrow");
  EXPECT_EQ(match(classifier, "2001:db8:1::9"), "v6-wide");
  EXPECT_EQ(match(classifier, "2001:db9::1"), "none");  // 0.0.0.0/0 covers IPv4 only
  EXPECT_EQ(match(classifier, "192.0.2.1"), "v4-any");
}

TEST(TrunkClassifier, Ipv4MappedSourcesMatchIpv4Prefixes) {
  const std::vector<Trunk> trunks = {
      trunk("v4", {{"198.51.100.0", 24}}),
      trunk("mapped-prefix", {{"::ffff:192.0.2.0", 120}}),  // written as IPv6, means 192.0.2.0/24
  };
  const InboundClassifier classifier(trunks);
  EXPECT_EQ(match(classifier, "::ffff:198.51.100.9"), "v4");
  EXPECT_EQ(match(classifier, "192.0.2.44"), "mapped-prefix");
  EXPECT_EQ(match(classifier, "::ffff:192.0.2.44"), "mapped-prefix");
  EXPECT_EQ(match(classifier, "::ffff:192.0.3.1"), "none");
}

TEST(TrunkClassifier, EqualPrefixesGoToTheFirstConfiguredTrunk) {
  const std::vector<Trunk> trunks = {trunk("first", {{"192.0.2.0", 24}}),
                                     trunk("second", {{"192.0.2.0", 24}, {"192.0.2.9", 32}})};
  const InboundClassifier classifier(trunks);
  EXPECT_EQ(match(classifier, "192.0.2.1"), "first");
  EXPECT_EQ(match(classifier, "192.0.2.9"), "second");
}

TEST(TrunkClassifier, NoTrunksNoSourcesAndBadPrefixesMatchNothing) {
  EXPECT_EQ(match(InboundClassifier({}), "192.0.2.1"), "none");
  const std::vector<Trunk> trunks = {trunk("no-sources", {}),
                                     trunk("broken", {{"not-an-address", 8}, {"10.0.0.0", 33}})};
  const InboundClassifier classifier(trunks);
  EXPECT_EQ(match(classifier, "10.0.0.1"), "none");
}

}  // namespace
}  // namespace trunkgate::cp
