#include "controlplane/config/cp_config.h"

#include "dataplane/config/yaml_reader.h"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace trunkgate::cp {

const char* const kEmbeddedCpConfig = R"(# trunkgate-cp embedded default (demo topology)
dataplane: {instance: default}
listen:
  - {transport: udp, address: 192.0.2.1, port: 5060}
  - {transport: udp, address: 198.51.100.1, port: 5060}
trunks:
  - name: pbx
    peer: {host: 192.0.2.10, port: 5060, transport: udp}
    media_interface: pbx
    inbound: {sources: [192.0.2.10/32]}
    codecs: [PCMA, PCMU]
    identity: pai
  - name: carrier
    peer: {host: 198.51.100.10, port: 5060, transport: udp}
    media_interface: carrier
    inbound: {sources: [198.51.100.10/32]}
    codecs: [PCMU, PCMA, G729]
    identity: rpid
routes:
  - {name: emergency, prefix: "911", emergency: true, trunks: [carrier]}
  - {name: default, prefix: "", trunks: [carrier]}
)";

namespace {

using config::check_keys;
using config::fail;
using config::number;
using config::text;

double rate(const YAML::Node& n, const std::string& key) {
  const std::string s = text(n, key);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || v < 0 || v > 1e6) fail(n, key + ": '" + s + "' is not a rate");
  return v;
}

// One of `names`, mapped to the enum value at the same position.
template <typename E>
E choice(const YAML::Node& n, const std::string& key,
         std::initializer_list<std::pair<const char*, E>> names) {
  const std::string s = text(n, key);
  std::string allowed;
  for (const auto& [name, value] : names) {
    if (s == name) return value;
    allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  }
  fail(n, key + ": '" + s + "' is not one of " + allowed);
}

bool is_ip(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::vector<std::string> strings(const YAML::Node& n, const std::string& key) {
  if (!n.IsSequence()) fail(n, key + ": expected a list");
  std::vector<std::string> out;
  for (const auto& v : n) out.push_back(text(v, key));
  return out;
}

SipTransport transport(const YAML::Node& n) {
  return choice<SipTransport>(n, "transport", {{"udp", SipTransport::kUdp},
                                               {"tcp", SipTransport::kTcp},
                                               {"tls", SipTransport::kTls}});
}

CallLimits limits(const YAML::Node& n, const std::string& where) {
  check_keys(n, {"max_calls", "max_cps", "cps_burst"}, where);
  CallLimits l;
  if (n["max_calls"]) l.max_concurrent = number(n["max_calls"], "max_calls", 0, 10000000);
  if (n["max_cps"]) l.max_cps = rate(n["max_cps"], "max_cps");
  if (n["cps_burst"]) l.cps_burst = rate(n["cps_burst"], "cps_burst");
  return l;
}

Credentials credentials(const YAML::Node& n, const std::string& key) {
  check_keys(n, {"username", "password", "realm"}, key);
  if (!n["username"] || !n["password"]) fail(n, key + ": needs username and password");
  return {text(n["username"], key + ".username"), text(n["password"], key + ".password"),
          n["realm"] ? text(n["realm"], key + ".realm") : ""};
}

IpPrefix prefix(const YAML::Node& n) {
  const std::string s = text(n, "inbound.sources");
  const size_t slash = s.find('/');
  IpPrefix p{s.substr(0, slash), 0};
  if (!is_ip(p.address)) fail(n, "inbound.sources: '" + s + "' is not ADDRESS[/PREFIX]");
  const unsigned max = p.address.find(':') == std::string::npos ? 32 : 128;
  p.length = slash == std::string::npos
                 ? max
                 : config::prefix_length(n, "inbound.sources", s, slash, max);
  return p;
}

DialPlan dial_plan(const YAML::Node& n) {
  check_keys(n, {"country_code", "national_length", "international_prefix", "emergency", "format"},
             "dial_plan");
  DialPlan d;
  if (n["country_code"]) d.country_code = text(n["country_code"], "dial_plan.country_code");
  if (n["national_length"])
    d.national_length = number(n["national_length"], "dial_plan.national_length", 4, 14);
  if (n["international_prefix"])
    d.international_prefix = text(n["international_prefix"], "dial_plan.international_prefix");
  if (n["emergency"]) d.emergency = strings(n["emergency"], "dial_plan.emergency");
  if (n["format"])
    d.format = choice<DialPlan::Format>(n["format"], "dial_plan.format",
                                        {{"e164_plus", DialPlan::Format::kE164Plus},
                                         {"e164", DialPlan::Format::kE164},
                                         {"national", DialPlan::Format::kNational}});
  for (const std::string* digits : {&d.country_code, &d.international_prefix})
    if (digits->find_first_not_of("0123456789") != std::string::npos)
      fail(n, "dial_plan: '" + *digits + "' must be digits");
  return d;
}

SessionTimerPolicy session_timer(const YAML::Node& n) {
  check_keys(n, {"expires", "min_se", "refresher"}, "session_timer");
  SessionTimerPolicy s;
  if (n["min_se"]) s.min_se_s = number(n["min_se"], "session_timer.min_se", 90, 86400);
  if (n["expires"]) s.expires_s = number(n["expires"], "session_timer.expires", 90, 86400);
  if (s.expires_s < s.min_se_s)  // RFC 4028 section 4
    fail(n, "session_timer: expires " + std::to_string(s.expires_s) + " is below min_se " +
                std::to_string(s.min_se_s));
  if (n["refresher"])
    s.refresher = choice<Refresher>(n["refresher"], "session_timer.refresher",
                                    {{"uac", Refresher::kUac}, {"uas", Refresher::kUas}});
  return s;
}

void peer(const YAML::Node& n, Trunk& t) {
  check_keys(n, {"host", "port", "transport"}, "peer");
  if (!n["host"]) fail(n, "peer: needs a host (address, host name or SIP domain)");
  t.peer_host = text(n["host"], "peer.host");
  if (n["port"]) t.peer_port = static_cast<uint16_t>(number(n["port"], "peer.port", 1, 65535));
  if (n["transport"]) t.transport = transport(n["transport"]);
}

void inbound(const YAML::Node& n, Trunk& t) {
  check_keys(n, {"sources", "challenge", "credentials"}, "inbound");
  if (n["sources"]) {
    if (!n["sources"].IsSequence()) fail(n["sources"], "inbound.sources: expected a list");
    for (const auto& s : n["sources"]) t.inbound_sources.push_back(prefix(s));
  }
  if (n["challenge"]) t.challenge_inbound = n["challenge"].as<bool>();
  if (n["credentials"]) t.inbound_credentials = credentials(n["credentials"], "inbound.credentials");
  if (t.challenge_inbound && !t.inbound_credentials)
    fail(n, "inbound: challenge needs credentials to check the answers against");
  if (t.inbound_sources.empty() && !t.challenge_inbound)
    fail(n, "inbound: give sources, or challenge with credentials, to recognise this trunk's calls");
}

void registration(const YAML::Node& n, Trunk& t) {
  check_keys(n, {"registrar", "aor", "expires"}, "registration");
  if (!n["registrar"] || !n["aor"]) fail(n, "registration: needs registrar and aor");
  Registration r{text(n["registrar"], "registration.registrar"), text(n["aor"], "registration.aor"),
                 3600};
  if (n["expires"]) r.expires_s = number(n["expires"], "registration.expires", 60, 86400);
  t.registration = r;
}

void codecs(const YAML::Node& n, Trunk& t) {
  static const std::set<std::string> kKnown = {"PCMU", "PCMA", "G729"};
  t.codecs = strings(n, "codecs");
  if (t.codecs.empty()) fail(n, "codecs: at least one codec");
  std::set<std::string> seen;
  for (const std::string& c : t.codecs) {
    if (!kKnown.count(c)) fail(n, "codecs: '" + c + "' is not one of PCMU, PCMA, G729");
    if (!seen.insert(c).second) fail(n, "codecs: '" + c + "' listed twice");
  }
}

Trunk trunk(const YAML::Node& n) {
  check_keys(n, {"name", "peer", "media_interface", "mode", "registration", "inbound",
                 "outbound_credentials", "codecs", "dtmf", "telephone_event_pt", "srtp",
                 "identity", "dial_plan", "session_timer", "options_keepalive_s", "limits"},
             "trunks");
  Trunk t;
  if (!n["name"]) fail(n, "trunks: every trunk needs a name");
  t.name = text(n["name"], "trunks.name");
  const std::string where = "trunk '" + t.name + "': ";
  if (!n["peer"]) fail(n, where + "needs a peer");
  peer(n["peer"], t);
  if (!n["media_interface"]) fail(n, where + "needs a media_interface (a data-plane interface name)");
  t.media_interface = text(n["media_interface"], "media_interface");
  if (n["mode"])
    t.mode = choice<TrunkMode>(n["mode"], "mode",
                               {{"static", TrunkMode::kStatic}, {"register", TrunkMode::kRegister}});
  if (n["registration"]) registration(n["registration"], t);
  if (n["outbound_credentials"])
    t.outbound_credentials = credentials(n["outbound_credentials"], "outbound_credentials");
  if (t.mode == TrunkMode::kRegister && (!t.registration || !t.outbound_credentials))
    fail(n, where + "mode register needs registration and outbound_credentials");
  if (n["inbound"]) inbound(n["inbound"], t);
  else if (t.mode == TrunkMode::kStatic) fail(n, where + "needs inbound (how to recognise its calls)");
  if (n["codecs"]) codecs(n["codecs"], t);
  if (n["dtmf"])
    t.dtmf = choice<DtmfMode>(n["dtmf"], "dtmf",
                              {{"rfc4733", DtmfMode::kRfc4733}, {"inband", DtmfMode::kInband}});
  if (n["telephone_event_pt"])
    t.telephone_event_pt = number(n["telephone_event_pt"], "telephone_event_pt", 96, 127);
  if (n["srtp"])
    t.srtp = choice<SrtpPolicy>(n["srtp"], "srtp", {{"off", SrtpPolicy::kOff},
                                                    {"optional", SrtpPolicy::kOptional},
                                                    {"required", SrtpPolicy::kRequired}});
  // SDES keys travel in the SDP: only over TLS (spec 004, section 14.4).
  if (t.srtp != SrtpPolicy::kOff && t.transport != SipTransport::kTls)
    fail(n["srtp"], where + "SRTP keys (SDES) may only be sent over TLS: set peer.transport: tls");
  if (n["identity"])
    t.identity = choice<IdentityStyle>(n["identity"], "identity",
                                       {{"rpid", IdentityStyle::kRemotePartyId},
                                        {"pai", IdentityStyle::kPAssertedIdentity}});
  if (n["dial_plan"]) t.dial_plan = dial_plan(n["dial_plan"]);
  if (n["session_timer"]) t.session_timer = session_timer(n["session_timer"]);
  if (n["options_keepalive_s"])
    t.options_keepalive_s = number(n["options_keepalive_s"], "options_keepalive_s", 0, 3600);
  if (n["limits"]) t.limits = limits(n["limits"], "trunk limits");
  return t;
}

ListenAddress listen(const YAML::Node& n) {
  check_keys(n, {"transport", "address", "port", "certificate", "private_key", "ca",
                 "require_client_certificate"},
             "listen");
  ListenAddress l;
  if (n["transport"]) l.transport = transport(n["transport"]);
  if (!n["address"]) fail(n, "listen: needs an address");
  l.address = text(n["address"], "listen.address");
  if (!is_ip(l.address)) fail(n["address"], "listen.address: '" + l.address + "' is not an IP address");
  l.port = l.transport == SipTransport::kTls ? 5061 : 5060;
  if (n["port"]) l.port = static_cast<uint16_t>(number(n["port"], "listen.port", 1, 65535));
  if (n["certificate"]) l.certificate = text(n["certificate"], "listen.certificate");
  if (n["private_key"]) l.private_key = text(n["private_key"], "listen.private_key");
  if (n["ca"]) l.ca = text(n["ca"], "listen.ca");
  if (n["require_client_certificate"])
    l.require_client_certificate = n["require_client_certificate"].as<bool>();
  if (l.transport == SipTransport::kTls && (l.certificate.empty() || l.private_key.empty()))
    fail(n, "listen: tls needs certificate and private_key");
  return l;
}

Route route(const YAML::Node& n) {
  check_keys(n, {"name", "prefix", "emergency", "trunks"}, "routes");
  Route r;
  if (!n["name"] || !n["trunks"]) fail(n, "routes: every route needs a name and trunks");
  r.name = text(n["name"], "routes.name");
  if (n["prefix"]) r.prefix = text(n["prefix"], "routes.prefix");
  if (n["emergency"]) r.emergency = n["emergency"].as<bool>();
  r.trunks = strings(n["trunks"], "routes.trunks");
  return r;
}

ManagementConfig management(const YAML::Node& n) {
  check_keys(n, {"socket", "tcp"}, "management");
  ManagementConfig m;
  if (n["socket"]) m.socket = text(n["socket"], "management.socket");
  if (n["socket"] && m.socket.empty()) fail(n["socket"], "management.socket: empty path");
  if (const YAML::Node tcp = n["tcp"]) {
    check_keys(tcp, {"address", "port", "certificate", "private_key", "client_ca", "insecure"},
               "management.tcp");
    if (!tcp["address"] || !tcp["port"]) fail(tcp, "management.tcp: needs address and port");
    m.tcp_address = text(tcp["address"], "management.tcp.address");
    if (!is_ip(m.tcp_address))
      fail(tcp["address"], "management.tcp.address: '" + m.tcp_address + "' is not an IP address");
    m.tcp_port = static_cast<uint16_t>(number(tcp["port"], "management.tcp.port", 1, 65535));
    if (tcp["certificate"]) m.certificate = text(tcp["certificate"], "management.tcp.certificate");
    if (tcp["private_key"]) m.private_key = text(tcp["private_key"], "management.tcp.private_key");
    if (tcp["client_ca"]) m.client_ca = text(tcp["client_ca"], "management.tcp.client_ca");
    if (tcp["insecure"]) m.insecure_tcp = tcp["insecure"].as<bool>();
    const bool tls = !m.certificate.empty() || !m.private_key.empty();
    if (tls && (m.certificate.empty() || m.private_key.empty()))
      fail(tcp, "management.tcp: TLS needs both certificate and private_key");
    if (!tls && !m.insecure_tcp)
      fail(tcp,
           "management.tcp: refusing unauthenticated TCP: give certificate and private_key "
           "(TLS), or set insecure: true to allow plain TCP");
    if (tls && m.insecure_tcp)
      fail(tcp["insecure"], "management.tcp: insecure: true contradicts certificate/private_key");
    if (!m.client_ca.empty() && !tls) fail(tcp["client_ca"], "management.tcp: client_ca needs TLS");
  }
  return m;
}

void cross_check(const YAML::Node& root, CpConfig& c) {
  std::set<std::string> names;
  size_t i = 0;
  for (const Trunk& t : c.trunks) {
    if (!names.insert(t.name).second)
      fail(root["trunks"][i], "trunks: duplicate name '" + t.name + "'");
    ++i;
  }
  i = 0;
  for (const Route& r : c.routes) {
    for (const std::string& t : r.trunks)
      if (!names.count(t))
        fail(root["routes"][i], "route '" + r.name + "': no trunk named '" + t + "'");
    ++i;
  }
  std::string error;
  auto table = RouteTable::build(c.routes, error);
  if (!table) fail(root["routes"], error);
  c.route_table = std::move(*table);
}

MetricsListen metrics(const YAML::Node& n) {
  check_keys(n, {"address", "port"}, "metrics");
  MetricsListen m;
  if (n["address"]) {
    m.address = text(n["address"], "metrics.address");
    if (!is_ip(m.address))
      fail(n["address"], "metrics.address: '" + m.address + "' is not an IP address");
  }
  if (n["port"]) m.port = static_cast<uint16_t>(number(n["port"], "metrics.port", 1, 65535));
  return m;
}

CpConfig walk(const YAML::Node& root) {
  check_keys(
      root, {"dataplane", "media", "listen", "limits", "cdr", "log", "metrics", "management",
             "trunks", "routes"},
      "top level");
  CpConfig c;
  if (const YAML::Node dp = root["dataplane"]) {
    check_keys(dp, {"instance", "program_timeout_ms"}, "dataplane");
    if (dp["instance"]) c.dataplane_instance = text(dp["instance"], "dataplane.instance");
    if (dp["program_timeout_ms"])
      c.program_timeout_ms = number(dp["program_timeout_ms"], "dataplane.program_timeout_ms", 10,
                                    60000);
  }
  if (const YAML::Node media = root["media"]) {
    check_keys(media, {"timeout_s"}, "media");
    if (media["timeout_s"]) c.media_timeout_s = number(media["timeout_s"], "media.timeout_s", 0, 86400);
  }
  if (!root["listen"] || !root["listen"].IsSequence() || root["listen"].size() == 0)
    fail(root, "listen: at least one listening address is required");
  for (const auto& l : root["listen"]) c.listen.push_back(listen(l));
  if (root["limits"]) c.limits = limits(root["limits"], "limits");
  if (const YAML::Node cdr = root["cdr"]) {
    check_keys(cdr, {"path"}, "cdr");
    if (cdr["path"]) c.cdr_path = text(cdr["path"], "cdr.path");
  }
  if (const YAML::Node log = root["log"]) {
    check_keys(log, {"level", "hostile_input_lines", "hostile_input_interval_s"}, "log");
    if (log["level"]) c.log_level = text(log["level"], "log.level");
    if (!is_log_level(c.log_level))
      fail(log["level"], "log.level: '" + c.log_level + "' is not one of " + kLogLevels);
    if (log["hostile_input_lines"])
      c.hostile_log_lines = number(log["hostile_input_lines"], "log.hostile_input_lines", 1, 10000);
    if (log["hostile_input_interval_s"])
      c.hostile_log_interval_s =
          number(log["hostile_input_interval_s"], "log.hostile_input_interval_s", 1, 86400);
  }
  if (const YAML::Node m = root["metrics"]) c.metrics = metrics(m);
  if (root["management"]) c.management = management(root["management"]);
  if (!root["trunks"] || !root["trunks"].IsSequence() || root["trunks"].size() == 0)
    fail(root, "trunks: at least one trunk is required");
  for (const auto& t : root["trunks"]) c.trunks.push_back(trunk(t));
  if (!root["routes"] || !root["routes"].IsSequence())
    fail(root, "routes: a list of routes is required");
  for (const auto& r : root["routes"]) c.routes.push_back(route(r));
  cross_check(root, c);
  return c;
}

}  // namespace

bool is_log_level(const std::string& level) {
  // "warning" too: spdlog names the level so when it reports it.
  for (const char* l : {"trace", "debug", "info", "warn", "warning", "error", "critical", "off"})
    if (level == l) return true;
  return false;
}

std::string ManagementConfig::socket_path(const std::string& dataplane_instance) const {
  return socket.empty() ? "/run/trunkgate/" + dataplane_instance + ".sock" : socket;
}

const Trunk* CpConfig::trunk(const std::string& name) const {
  for (const Trunk& t : trunks)
    if (t.name == name) return &t;
  return nullptr;
}

std::optional<CpConfig> parse_cp_config(const std::string& yaml_text, const std::string& source,
                                        std::string& error) {
  auto c = config::parse_document<CpConfig>(yaml_text, source, error, walk);
  if (c) c->source = source;
  return c;
}

std::optional<CpConfig> parse_cp_config_tree(const YAML::Node& root, const std::string& source,
                                             std::string& error) {
  auto c = config::walk_document<CpConfig>(root, source, error, walk);
  if (c) c->source = source;
  return c;
}

std::optional<CpConfig> load_cp_config(const std::string& path, std::string& error) {
  std::string text;
  if (!config::read_file(path, text, error)) return std::nullopt;
  return parse_cp_config(text, path, error);
}

}  // namespace trunkgate::cp
