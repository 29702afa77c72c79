#include "mgmt/ctl/commands.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

#include "mgmt/ctl/output.h"
#include "mgmt/trunkgate.grpc.pb.h"

namespace trunkgate::ctl {
namespace {

namespace v1 = trunkgate::mgmt::v1;
using Args = std::vector<std::string>;

const char* code_name(grpc::StatusCode c) {
  switch (c) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid argument";
    case grpc::StatusCode::NOT_FOUND:
      return "not found";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "already exists";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "failed precondition";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "unauthenticated";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission denied";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "not supported by this gateway";
    default:
      return "error";
  }
}

int failed(const Context& ctx, const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      std::fprintf(stderr, "trunkgatectl: cannot reach trunkgate-cp at %s: is it running? (%s)\n",
                   ctx.target.c_str(), s.error_message().c_str());
      return kExitUnreachable;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      std::fprintf(stderr, "trunkgatectl: trunkgate-cp at %s did not answer within %lld s\n",
                   ctx.target.c_str(), static_cast<long long>(ctx.timeout.count()));
      return kExitUnreachable;
    default:
      std::fprintf(stderr, "trunkgatectl: %s: %s\n", code_name(s.error_code()),
                   s.error_message().c_str());
      return kExitRefused;
  }
}

int usage(const std::string& what) {
  std::fprintf(stderr, "trunkgatectl: %s (trunkgatectl --help lists the commands)\n", what.c_str());
  return kExitUsage;
}

std::unique_ptr<grpc::ClientContext> context(const Context& ctx) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(std::chrono::system_clock::now() + ctx.timeout);
  return c;
}

// Calls `rpc` and prints the answer with `print` (or as JSON).
template <typename Resp, typename Rpc>
int call(const Context& ctx, Rpc rpc, const std::function<void(const Resp&)>& print) {
  Resp response;
  auto c = context(ctx);
  grpc::Status s = rpc(c.get(), &response);
  if (!s.ok()) return failed(ctx, s);
  if (ctx.json)
    std::cout << to_json(response, true) << "\n";
  else
    print(response);
  return 0;
}

bool parse_id(const std::string& text, uint64_t& id) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  id = std::stoull(text);
  return true;
}

// A trunk definition given inline or as @FILE.
bool definition(const std::string& arg, std::string& yaml) {
  if (arg.empty() || arg[0] != '@') {
    yaml = arg;
    return true;
  }
  std::ifstream in(arg.substr(1));
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  yaml = s.str();
  return true;
}

// --- System ---

void print_status(const v1::GatewayStatus& s) {
  std::cout << key_values({
      {"version", s.version()},
      {"ready", yes_no(s.ready())},
      {"draining", s.draining() ? (s.drained() ? "yes (drained: no call left)" : "yes") : "no"},
      {"active calls", std::to_string(s.active_calls())},
      {"configuration",
       s.config_source() + " (generation " + std::to_string(s.config_generation()) + ", " +
           std::to_string(s.trunks()) + " trunks, " + std::to_string(s.routes()) + " routes)"},
      {"data plane", s.dataplane_instance() + ", " + std::to_string(s.dataplane_workers()) +
                         " workers, " + (s.dataplane_alive() ? "alive" : "NOT RESPONDING")},
      {"log level", s.log_level()},
      {"uptime", std::to_string(s.uptime_s()) + " s"},
      {"calls offered", std::to_string(s.counters().calls_offered())},
      {"calls answered", std::to_string(s.counters().calls_answered())},
      {"calls ended", std::to_string(s.counters().calls_ended())},
      {"refused (draining)", std::to_string(s.counters().rejected_draining())},
      {"refused (no route)", std::to_string(s.counters().rejected_no_route())},
      {"refused (overload)", std::to_string(s.counters().rejected_overload())},
  });
}

int status(const Context& ctx, const Args&) {
  auto stub = v1::System::NewStub(ctx.channel);
  return call<v1::GatewayStatus>(
      ctx, [&](auto* c, auto* r) { return stub->GetStatus(c, v1::GetStatusRequest{}, r); },
      print_status);
}

int drain(const Context& ctx, const Args& args) {
  if (args.size() > 2 || (args.size() == 2 && args[1] != "on" && args[1] != "off"))
    return usage("drain [on|off]");
  v1::SetDrainRequest req;
  req.set_drain(args.size() == 1 || args[1] == "on");
  auto stub = v1::System::NewStub(ctx.channel);
  return call<v1::GatewayStatus>(
      ctx, [&](auto* c, auto* r) { return stub->SetDrain(c, req, r); },
      [](const v1::GatewayStatus& s) {
        std::cout << (s.draining() ? "draining: new calls are refused with 503; "
                                   : "not draining: new calls are admitted; ")
                  << s.active_calls() << " calls in progress" << (s.drained() ? " (drained)" : "")
                  << "\n";
      });
}

int reload(const Context& ctx, const Args&) {
  auto stub = v1::System::NewStub(ctx.channel);
  return call<v1::ReloadResponse>(
      ctx, [&](auto* c, auto* r) { return stub->Reload(c, v1::ReloadRequest{}, r); },
      [](const v1::ReloadResponse& r) {
        std::cout << "reloaded " << r.config_source() << ": generation " << r.config_generation()
                  << ", " << r.trunks() << " trunks, " << r.routes() << " routes\n";
      });
}

int log_level(const Context& ctx, const Args& args) {
  if (args.size() != 2) return usage("log-level LEVEL");
  v1::SetLogLevelRequest req;
  req.set_level(args[1]);
  auto stub = v1::System::NewStub(ctx.channel);
  return call<v1::SetLogLevelResponse>(
      ctx, [&](auto* c, auto* r) { return stub->SetLogLevel(c, req, r); },
      [](const v1::SetLogLevelResponse& r) {
        std::cout << "log level " << r.level() << " (was " << r.previous() << ")\n";
      });
}

// --- Trunks and routes ---

void print_trunks(const google::protobuf::RepeatedPtrField<v1::Trunk>& trunks) {
  Table t({"NAME", "PEER", "TRANSPORT", "MEDIA", "CODECS", "SRTP", "UP", "REGISTRATION", "CALLS",
           "MAX"});
  for (const v1::Trunk& x : trunks)
    t.add({x.name(), x.peer_host() + (x.peer_port() ? ":" + std::to_string(x.peer_port()) : ""),
           x.transport(), x.media_interface(), join(x.codecs(), ","), x.srtp(), yes_no(x.up()),
           x.registration().empty() ? "-" : x.registration(), std::to_string(x.active_calls()),
           x.max_calls() ? std::to_string(x.max_calls()) : "-"});
  std::cout << t.render();
}

void print_routes(const google::protobuf::RepeatedPtrField<v1::Route>& routes) {
  Table t({"NAME", "PREFIX", "EMERGENCY", "TRUNKS"});
  for (const v1::Route& r : routes)
    t.add({r.name(), r.prefix().empty() ? "(any)" : r.prefix(), yes_no(r.emergency()),
           join(r.trunks(), " > ")});
  std::cout << t.render();
}

int trunks(const Context& ctx, const Args&) {
  auto stub = v1::Trunks::NewStub(ctx.channel);
  return call<v1::ListTrunksResponse>(
      ctx, [&](auto* c, auto* r) { return stub->List(c, v1::ListTrunksRequest{}, r); },
      [](const v1::ListTrunksResponse& r) { print_trunks(r.trunks()); });
}

int trunk(const Context& ctx, const Args& args) {
  if (args.size() != 3)
    return usage("trunk get NAME | trunk create|update YAML|@FILE | trunk delete NAME");
  auto stub = v1::Trunks::NewStub(ctx.channel);
  auto print_one = [](const v1::Trunk& x) {
    google::protobuf::RepeatedPtrField<v1::Trunk> one;
    *one.Add() = x;
    print_trunks(one);
  };
  const std::string& verb = args[1];
  if (verb == "get") {
    v1::GetTrunkRequest req;
    req.set_name(args[2]);
    return call<v1::Trunk>(
        ctx, [&](auto* c, auto* r) { return stub->Get(c, req, r); }, print_one);
  }
  if (verb == "create" || verb == "update") {
    v1::PutTrunkRequest req;
    if (!definition(args[2], *req.mutable_yaml())) return usage("cannot read " + args[2].substr(1));
    return call<v1::Trunk>(
        ctx,
        [&](auto* c, auto* r) {
          return verb == "create" ? stub->Create(c, req, r) : stub->Update(c, req, r);
        },
        print_one);
  }
  if (verb == "delete") {
    v1::DeleteRequest req;
    req.set_name(args[2]);
    return call<v1::DeleteResponse>(
        ctx, [&](auto* c, auto* r) { return stub->Delete(c, req, r); },
        [&](const v1::DeleteResponse& r) {
          std::cout << "trunk " << args[2] << " deleted (generation " << r.config_generation()
                    << ")\n";
        });
  }
  return usage("trunk: unknown action '" + verb + "'");
}

int routes(const Context& ctx, const Args&) {
  auto stub = v1::Routes::NewStub(ctx.channel);
  return call<v1::ListRoutesResponse>(
      ctx, [&](auto* c, auto* r) { return stub->List(c, v1::ListRoutesRequest{}, r); },
      [](const v1::ListRoutesResponse& r) { print_routes(r.routes()); });
}

// route create|update NAME --prefix P --trunks A,B [--emergency]
bool route_spec(const Args& args, v1::Route& r) {
  r.set_name(args[2]);
  for (size_t i = 3; i < args.size(); ++i) {
    if (args[i] == "--emergency")
      r.set_emergency(true);
    else if (args[i] == "--prefix" && i + 1 < args.size())
      r.set_prefix(args[++i]);
    else if (args[i] == "--trunks" && i + 1 < args.size()) {
      std::stringstream list(args[++i]);
      for (std::string t; std::getline(list, t, ',');)
        if (!t.empty()) r.add_trunks(t);
    } else
      return false;
  }
  return true;
}

int route(const Context& ctx, const Args& args) {
  if (args.size() < 3)
    return usage(
        "route get NAME | route create|update NAME --prefix P --trunks A,B [--emergency] "
        "| route delete NAME");
  auto stub = v1::Routes::NewStub(ctx.channel);
  auto print_one = [](const v1::Route& x) {
    google::protobuf::RepeatedPtrField<v1::Route> one;
    *one.Add() = x;
    print_routes(one);
  };
  const std::string& verb = args[1];
  if (verb == "get" && args.size() == 3) {
    v1::GetRouteRequest req;
    req.set_name(args[2]);
    return call<v1::Route>(
        ctx, [&](auto* c, auto* r) { return stub->Get(c, req, r); }, print_one);
  }
  if (verb == "create" || verb == "update") {
    v1::PutRouteRequest req;
    if (!route_spec(args, *req.mutable_route()))
      return usage("route " + verb + " NAME --prefix P --trunks A,B [--emergency]");
    return call<v1::Route>(
        ctx,
        [&](auto* c, auto* r) {
          return verb == "create" ? stub->Create(c, req, r) : stub->Update(c, req, r);
        },
        print_one);
  }
  if (verb == "delete" && args.size() == 3) {
    v1::DeleteRequest req;
    req.set_name(args[2]);
    return call<v1::DeleteResponse>(
        ctx, [&](auto* c, auto* r) { return stub->Delete(c, req, r); },
        [&](const v1::DeleteResponse& r) {
          std::cout << "route " << args[2] << " deleted (generation " << r.config_generation()
                    << ")\n";
        });
  }
  return usage("route: unknown action or arguments");
}

// --- Calls ---

std::string leg_text(const v1::CallLeg& l) {
  if (l.trunk().empty()) return "-";
  std::string s = l.trunk();
  if (!l.codec().empty()) s += " " + l.codec() + (l.srtp() ? "/SRTP" : "");
  return s;
}

int calls(const Context& ctx, const Args& args) {
  v1::ListCallsRequest req;
  for (size_t i = 1; i < args.size(); ++i) {
    if (i + 1 >= args.size()) return usage("calls [--trunk T] [--number N] [--state S]");
    if (args[i] == "--trunk")
      req.set_trunk(args[++i]);
    else if (args[i] == "--number")
      req.set_number(args[++i]);
    else if (args[i] == "--state")
      req.set_state(args[++i]);
    else
      return usage("calls: unknown option " + args[i]);
  }
  auto stub = v1::Calls::NewStub(ctx.channel);
  return call<v1::ListCallsResponse>(
      ctx, [&](auto* c, auto* r) { return stub->List(c, req, r); },
      [](const v1::ListCallsResponse& r) {
        Table t({"ID", "STATE", "CALLING", "CALLED", "INBOUND", "OUTBOUND", "ROUTE", "DURATION"});
        for (const v1::Call& c : r.calls())
          t.add({std::to_string(c.id()), c.state(), c.calling(), c.called(), leg_text(c.inbound()),
                 leg_text(c.outbound()), c.route(),
                 c.answer_unix_ms() ? std::to_string(c.duration_s()) + " s" : "-"});
        std::cout << t.render() << r.calls_size() << " calls\n";
      });
}

void print_leg(const char* name, const v1::CallLeg& l) {
  std::cout << name << " leg\n"
            << key_values({{"  trunk", l.trunk()},
                           {"  SIP Call-ID", l.sip_call_id()},
                           {"  signalling peer", l.signalling_peer()},
                           {"  media (gateway)", l.local_media()},
                           {"  media (peer)", l.remote_media()},
                           {"  codec", l.codec().empty()
                                           ? "-"
                                           : l.codec() + " pt " + std::to_string(l.payload_type()) +
                                                 " ptime " + std::to_string(l.ptime_ms()) + " ms"},
                           {"  SRTP", yes_no(l.srtp())},
                           {"  direction", l.direction()}});
  for (const v1::FlowCounters& f : l.flows()) {
    std::string drops;
    for (const auto& [reason, n] : f.drops()) drops += " " + reason + "=" + std::to_string(n);
    std::cout << "  flow " << f.key() << ": packets=" << f.packets() << " bytes=" << f.bytes()
              << " rtcp=" << f.rtcp_packets() << " idle_ms=" << f.idle_ms()
              << (drops.empty() ? "" : " drops:" + drops) << "\n";
  }
}

int call_one(const Context& ctx, const Args& args) {
  v1::GetCallRequest req;
  uint64_t id = 0;
  if (args.size() != 2 || !parse_id(args[1], id)) return usage("call ID (a number from `calls`)");
  req.set_id(id);
  auto stub = v1::Calls::NewStub(ctx.channel);
  return call<v1::Call>(
      ctx, [&](auto* c, auto* r) { return stub->Get(c, req, r); },
      [](const v1::Call& c) {
        std::cout << key_values({{"call", std::to_string(c.id())},
                                 {"state", c.state()},
                                 {"calling", c.calling()},
                                 {"called", c.called()},
                                 {"route", c.route()},
                                 {"emergency", yes_no(c.emergency())},
                                 {"answered", yes_no(c.answer_unix_ms() != 0)},
                                 {"duration", std::to_string(c.duration_s()) + " s"}});
        print_leg("inbound", c.inbound());
        print_leg("outbound", c.outbound());
        if (!c.counters_error().empty()) std::cout << "counters: " << c.counters_error() << "\n";
      });
}

int hangup(const Context& ctx, const Args& args) {
  v1::HangupRequest req;
  uint64_t id = 0;
  if (args.size() < 2 || args.size() > 3 || !parse_id(args[1], id))
    return usage("hangup ID [CAUSE]");
  req.set_id(id);
  if (args.size() == 3) req.set_cause(args[2]);
  auto stub = v1::Calls::NewStub(ctx.channel);
  return call<v1::HangupResponse>(
      ctx, [&](auto* c, auto* r) { return stub->Hangup(c, req, r); },
      [&](const v1::HangupResponse&) { std::cout << "call " << id << " ended\n"; });
}

// Streams events until `count` were printed (0: until interrupted).
int watch(const Context& ctx, const Args& args) {
  uint64_t count = 0;
  if (args.size() == 3 && args[1] == "--count" && parse_id(args[2], count)) {
  } else if (args.size() != 1) {
    return usage("watch [--count N]");
  }
  auto stub = v1::Calls::NewStub(ctx.channel);
  grpc::ClientContext c;  // no deadline: a watch lasts as long as wanted
  auto reader = stub->Watch(&c, v1::WatchRequest{});
  // The server sends its metadata once subscribed: no event from then on is missed. Without it
  // the call failed (gateway not reachable).
  reader->WaitForInitialMetadata();
  if (c.GetServerInitialMetadata().count("trunkgate-watch") == 0)
    return failed(ctx, reader->Finish());
  std::fprintf(stderr, "watching call events on %s\n", ctx.target.c_str());
  v1::CallEvent e;
  uint64_t seen = 0;
  while ((count == 0 || seen < count) && reader->Read(&e)) {
    ++seen;
    if (ctx.json) {
      std::cout << to_json(e, false) << std::endl;
      continue;
    }
    std::cout << e.unix_ms() << " call " << e.call() << " " << e.kind();
    if (e.kind() == "setup")
      std::cout << " " << e.calling() << " -> " << e.called() << " from " << e.inbound_trunk();
    if (e.kind() == "end") std::cout << ": " << e.cause();
    if (e.kind() == "dtmf")
      std::cout << " " << e.digit() << " " << (e.dtmf_end() ? "end" : "start") << " ("
                << e.dtmf_leg() << " leg)";
    if (e.lost_before()) std::cout << " [" << e.lost_before() << " events lost before]";
    std::cout << std::endl;
  }
  if (count != 0 && seen >= count) {
    c.TryCancel();
    return 0;
  }
  grpc::Status s = reader->Finish();
  return s.ok() ? 0 : failed(ctx, s);
}

// --- Data plane ---

std::string counter(const google::protobuf::Map<std::string, uint64_t>& counters,
                    const char* name) {
  auto it = counters.find(name);
  return std::to_string(it == counters.end() ? 0 : it->second);
}

int stats(const Context& ctx, const Args&) {
  auto stub = v1::DataPlane::NewStub(ctx.channel);
  return call<v1::DataPlaneStats>(
      ctx, [&](auto* c, auto* r) { return stub->GetStats(c, v1::GetDataPlaneStatsRequest{}, r); },
      [](const v1::DataPlaneStats& s) {
        std::cout << "data plane " << s.instance() << " pid " << s.pid() << ", "
                  << (s.alive() ? "alive" : "NOT RESPONDING") << ", media ports "
                  << s.media_port_min() << "-" << s.media_port_max() << "\n";
        Table w({"WORKER", "RX", "TX", "HANDOFF", "EXCEPTION", "FLOWS", "DROPS"});
        for (const v1::WorkerCounters& x : s.workers()) {
          uint64_t drops = 0;
          for (const auto& [reason, n] : x.drops()) drops += n;
          w.add({std::to_string(x.worker()), counter(x.counters(), "rx"),
                 counter(x.counters(), "tx"), counter(x.counters(), "handoff"),
                 counter(x.counters(), "exception"), counter(x.counters(), "flows"),
                 std::to_string(drops)});
        }
        std::cout << w.render();
        Table p({"PORT", "ADDRESSES", "IPACKETS", "OPACKETS", "IMISSED", "IERRORS"});
        for (const v1::PortCounters& x : s.ports()) {
          p.add({x.interface(), join(x.addresses(), " "), counter(x.counters(), "ipackets"),
                 counter(x.counters(), "opackets"), counter(x.counters(), "imissed"),
                 counter(x.counters(), "ierrors")});
        }
        std::cout << p.render();
        std::string drops;
        for (const auto& [reason, n] :
             std::map<std::string, uint64_t>(s.drops_total().begin(), s.drops_total().end()))
          if (n != 0) drops += " " + reason + "=" + std::to_string(n);
        std::cout << "drops:" << (drops.empty() ? " none" : drops) << "\n";
      });
}

using Command = int (*)(const Context&, const Args&);

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> kCommands = {
      {"status", status}, {"drain", drain},   {"reload", reload}, {"log-level", log_level},
      {"trunks", trunks}, {"trunk", trunk},   {"routes", routes}, {"route", route},
      {"calls", calls},   {"call", call_one}, {"hangup", hangup}, {"watch", watch},
      {"stats", stats},
  };
  return kCommands;
}

}  // namespace

bool is_command(const std::string& name) {
  return commands().count(name) != 0;
}

int run_command(const Context& ctx, const Args& args) {
  auto it = commands().find(args[0]);
  if (it == commands().end()) return usage("unknown command '" + args[0] + "'");
  return it->second(ctx, args);
}

}  // namespace trunkgate::ctl
