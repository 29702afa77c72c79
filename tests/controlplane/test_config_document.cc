// Configuration edits (the management API's trunk and route changes) and what a running gateway
// can reload: every edit is validated as a whole file would be, and a refused edit leaves the
// document it started from untouched.
#include <gtest/gtest.h>

#include "controlplane/config/config_document.h"

using namespace trunkgate::cp;

namespace {

const std::string kBase = R"(listen: [{address: 192.0.2.1}]
trunks:
  - name: pbx
    peer: {host: 192.0.2.10}
    media_interface: pbx
    inbound: {sources: [192.0.2.10]}
  - name: carrier
    peer: {host: 198.51.100.10}
    media_interface: carrier
    inbound: {sources: [198.51.100.10]}
routes:
  - {name: default, trunks: [carrier]}
)";

// A route as the API builds it: in memory, without positions.
YAML::Node route(const std::string& name, const std::string& prefix,
                 const std::vector<std::string>& trunks) {
  YAML::Node n(YAML::NodeType::Map);
  n["name"] = name;
  n["prefix"] = prefix;
  n["trunks"] = trunks;
  return n;
}

ConfigDocument base() {
  std::string error;
  auto d = parse_config_document(kBase, "cp.yaml", error);
  EXPECT_TRUE(d) << error;
  return *d;
}

TEST(ConfigDocument, CreateTrunkAddsItAndKeepsTheRest) {
  const ConfigDocument d = base();
  EditResult r = put_trunk(d,
                           "{name: carrier2, peer: {host: 198.51.100.11, port: 5080}, "
                           "media_interface: carrier, inbound: {sources: [198.51.100.11/32]}, "
                           "codecs: [G729]}",
                           PutMode::kCreate);
  ASSERT_TRUE(r.document) << r.message;
  const CpConfig& c = *r.document->config;
  ASSERT_EQ(c.trunks.size(), 3u);
  const Trunk* t = c.trunk("carrier2");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->peer_port, 5080);
  EXPECT_EQ(t->codecs, std::vector<std::string>{"G729"});
  EXPECT_EQ(c.source, "api");
  EXPECT_EQ(d.config->trunks.size(), 2u);  // the original is untouched
  EXPECT_FALSE(d.root["trunks"][2]);
}

TEST(ConfigDocument, InvalidTrunkNamesTheFieldAndChangesNothing) {
  const ConfigDocument d = base();
  EditResult r = put_trunk(d,
                           "{name: bad, peer: {host: 198.51.100.12}, media_interface: carrier, "
                           "inbound: {sources: [198.51.100.12]}, codecs: [OPUS]}",
                           PutMode::kCreate);
  EXPECT_FALSE(r.document);
  EXPECT_EQ(r.error, EditError::kInvalid);
  EXPECT_EQ(r.message, "api:1:113: codecs: 'OPUS' is not one of PCMU, PCMA, G729");
  r = put_trunk(d,
                "{name: bad, peer: {host: 198.51.100.12, port: 70000}, media_interface: x, "
                "inbound: {sources: [198.51.100.12]}}",
                PutMode::kCreate);
  EXPECT_NE(r.message.find("peer.port: 70000 is outside 1..65535"), std::string::npos) << r.message;
  r = put_trunk(d, "{name: x, peer: {host: [}", PutMode::kCreate);  // not YAML
  EXPECT_EQ(r.error, EditError::kInvalid);
  EXPECT_EQ(r.message.rfind("api:1:", 0), 0u) << r.message;
  r = put_trunk(d, "[1, 2]", PutMode::kCreate);
  EXPECT_EQ(r.message, "api: the trunk must be a mapping");
  r = put_trunk(d, "{peer: {host: 1.2.3.4}}", PutMode::kCreate);
  EXPECT_EQ(r.message, "api: name: every trunk needs a name");
  EXPECT_EQ(d.config->trunks.size(), 2u);
}

TEST(ConfigDocument, CreateExistingAndUpdateUnknownAreRefused) {
  const ConfigDocument d = base();
  EditResult r = put_trunk(d, "{name: pbx}", PutMode::kCreate);
  EXPECT_EQ(r.error, EditError::kAlreadyExists);
  EXPECT_EQ(r.message, "trunk 'pbx' exists (update it instead)");
  r = put_trunk(d, "{name: nope}", PutMode::kUpdate);
  EXPECT_EQ(r.error, EditError::kNotFound);
  EXPECT_EQ(r.message, "no trunk named 'nope'");
  r = delete_route(d, "nope");
  EXPECT_EQ(r.error, EditError::kNotFound);
  EXPECT_EQ(r.message, "no route named 'nope'");
}

TEST(ConfigDocument, UpdateReplacesInPlace) {
  const ConfigDocument d = base();
  EditResult r = put_trunk(d,
                           "{name: pbx, peer: {host: 192.0.2.20}, media_interface: pbx, "
                           "inbound: {sources: [192.0.2.20]}}",
                           PutMode::kUpdate);
  ASSERT_TRUE(r.document) << r.message;
  ASSERT_EQ(r.document->config->trunks.size(), 2u);
  EXPECT_EQ(r.document->config->trunks[0].name, "pbx");  // same position
  EXPECT_EQ(r.document->config->trunks[0].peer_host, "192.0.2.20");
  EXPECT_EQ(d.config->trunks[0].peer_host, "192.0.2.10");
}

TEST(ConfigDocument, DeletingATrunkARouteUsesIsRefusedWithTheRouteNamed) {
  const ConfigDocument d = base();
  EditResult r = delete_trunk(d, "carrier");
  EXPECT_EQ(r.error, EditError::kInvalid);
  EXPECT_EQ(r.message, "api:12:5: route 'default': no trunk named 'carrier'");
  r = delete_trunk(d, "pbx");  // unused: fine
  ASSERT_TRUE(r.document) << r.message;
  EXPECT_EQ(r.document->config->trunks.size(), 1u);
}

TEST(ConfigDocument, RoutesAreCreatedUpdatedAndDeleted) {
  const ConfigDocument d = base();
  EditResult r = put_route(d, route("uk", "44", {"pbx", "carrier"}), PutMode::kCreate);
  ASSERT_TRUE(r.document) << r.message;
  const CpConfig& c = *r.document->config;
  ASSERT_EQ(c.routes.size(), 2u);
  auto uk = normalize("+441234567890", {});
  ASSERT_TRUE(uk.number);
  EXPECT_EQ(c.route_table.match(*uk.number)->name, "uk");
  r = put_route(*r.document, route("uk", "44", {"nowhere"}), PutMode::kUpdate);
  EXPECT_EQ(r.error, EditError::kInvalid);
  EXPECT_EQ(r.message, "api: route 'uk': no trunk named 'nowhere'");
  r = delete_route(d, "default");
  ASSERT_TRUE(r.document) << r.message;
  EXPECT_TRUE(r.document->config->routes.empty());
}

TEST(ConfigDocument, ReloadableRefusesListenerAndInstanceChanges) {
  const ConfigDocument d = base();
  std::string error;
  auto moved = parse_config_document(
      std::string(kBase).replace(kBase.find("192.0.2.1}"), 9, "192.0.2.2"), "cp.yaml", error);
  ASSERT_TRUE(moved) << error;
  EXPECT_FALSE(reloadable(*d.config, *moved->config, error));
  EXPECT_EQ(error, "listen: changing the SIP listeners needs a restart of trunkgate-cp");
  auto other = parse_config_document("dataplane: {instance: b}\n" + kBase, "cp.yaml", error);
  ASSERT_TRUE(other) << error;
  EXPECT_FALSE(reloadable(*d.config, *other->config, error));
  EXPECT_EQ(error, "dataplane.instance: changes need a restart of trunkgate-cp");
  EditResult r = put_route(d, route("uk", "44", {"pbx"}), PutMode::kCreate);
  ASSERT_TRUE(r.document);
  EXPECT_TRUE(reloadable(*d.config, *r.document->config, error)) << error;
}

TEST(ConfigDocument, ManagementTcpWithoutTlsIsRefusedUnlessInsecure) {
  std::string error;
  EXPECT_FALSE(parse_config_document(
      "management: {tcp: {address: 127.0.0.1, port: 7443}}\n" + kBase, "cp.yaml", error));
  EXPECT_EQ(error,
            "cp.yaml:1:19: management.tcp: refusing unauthenticated TCP: give certificate and "
            "private_key (TLS), or set insecure: true to allow plain TCP");
  auto ok = parse_config_document(
      "management: {socket: /tmp/x.sock, tcp: {address: 127.0.0.1, port: 7443, insecure: true}}\n" +
          kBase,
      "cp.yaml", error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(ok->config->management.socket_path("default"), "/tmp/x.sock");
  EXPECT_TRUE(ok->config->management.insecure_tcp);
  auto plain = parse_config_document(kBase, "cp.yaml", error);
  EXPECT_EQ(plain->config->management.socket_path("default"), "/run/trunkgate/default.sock");
  EXPECT_FALSE(parse_config_document("log: {level: loud}\n" + kBase, "cp.yaml", error));
  EXPECT_EQ(error,
            "cp.yaml:1:14: log.level: 'loud' is not one of trace, debug, info, warn, "
            "error, critical, off");
}

}  // namespace
