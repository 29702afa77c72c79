// trunkgate-flowctl: program and inspect trunkgate-dp flows through the shared-memory channel.
// For operators, demos and tests; trunkgate-cp uses the same client library.
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "dataplane/channel/client.h"

namespace ch = trunkgate::channel;

namespace {

const char* const kUsage = R"(usage: trunkgate-flowctl [--instance NAME] [--timeout-ms N] COMMAND ...
  add --key ADDR:PORT --remote ADDR:PORT --source ADDR:PORT --iface N
      [--latch] [--strict-source] [--reverse ADDR:PORT] [--rtcp | --rtcp-mux]
      [--translate-ssrc SSRC] [--dscp N] [--media-timeout-ms N] [--cookie N]
  modify ...same as add...
  del --key ADDR:PORT
  query --key ADDR:PORT
  dump
  stats                    per-worker counters and drops
  interfaces               the data plane's interfaces and addresses
  events [--count N]       print events until N arrived or the timeout passed
)";

struct Args {
  std::map<std::string, std::string> values;
  std::map<std::string, bool> flags;
};

bool parse(int argc, char** argv, int from, Args& a, std::string& error) {
  static const char* const kFlags[] = {"--latch", "--strict-source", "--rtcp", "--rtcp-mux"};
  for (int i = from; i < argc; ++i) {
    const std::string k = argv[i];
    bool is_flag = false;
    for (const char* f : kFlags) is_flag |= k == f;
    if (is_flag) {
      a.flags[k] = true;
    } else if (k.rfind("--", 0) == 0 && i + 1 < argc) {
      a.values[k] = argv[++i];
    } else {
      error = "unexpected argument '" + k + "'";
      return false;
    }
  }
  return true;
}

bool number(const Args& a, const std::string& key, unsigned long max, unsigned long& out,
            std::string& error) {
  auto it = a.values.find(key);
  if (it == a.values.end()) return true;
  char* end = nullptr;
  out = std::strtoul(it->second.c_str(), &end, 0);
  if (it->second.empty() || *end != '\0' || out > max) {
    error = key + ": '" + it->second + "' must be a number up to " + std::to_string(max);
    return false;
  }
  return true;
}

bool endpoint(const Args& a, const std::string& key, bool required, ch::Endpoint& out,
              std::string& error) {
  auto it = a.values.find(key);
  if (it == a.values.end()) {
    if (required) error = key + " is required";
    return !required;
  }
  if (!ch::parse_endpoint(it->second, out, error)) {
    error = key + ": " + error;
    return false;
  }
  return true;
}

bool build_spec(const Args& a, ch::FlowSpec& s, std::string& error) {
  s = ch::FlowSpec{};
  unsigned long iface = 0, dscp = ch::kDscpExpedited, timeout = 0, cookie = 0, ssrc = 0;
  if (!endpoint(a, "--key", true, s.key, error) || !endpoint(a, "--remote", true, s.remote, error) ||
      !endpoint(a, "--source", true, s.source, error) ||
      !endpoint(a, "--reverse", false, s.reverse, error) ||
      !number(a, "--iface", 0xffff, iface, error) || !number(a, "--dscp", 255, dscp, error) ||
      !number(a, "--media-timeout-ms", 0xffffffff, timeout, error) ||
      !number(a, "--cookie", ~0ul, cookie, error) ||
      !number(a, "--translate-ssrc", 0xffffffff, ssrc, error))
    return false;
  if (!a.values.count("--iface")) {
    error = "--iface is required";
    return false;
  }
  s.out_interface = static_cast<uint16_t>(iface);
  s.dscp = static_cast<uint8_t>(dscp);
  s.timeout_ms = static_cast<uint32_t>(timeout);
  s.cookie = cookie;
  s.out_ssrc = static_cast<uint32_t>(ssrc);
  if (a.values.count("--translate-ssrc")) s.flags |= ch::kFlowTranslateRtp;
  if (a.flags.count("--latch")) s.flags |= ch::kFlowLatch;
  if (a.flags.count("--strict-source")) s.flags |= ch::kFlowStrictSource;
  if (a.flags.count("--rtcp")) s.flags |= ch::kFlowRtcp;
  if (a.flags.count("--rtcp-mux")) s.flags |= ch::kFlowRtcpMux;
  return true;
}

void print_event(const ch::Event& e) {
  const auto type = static_cast<ch::EventType>(e.hdr.type);
  std::cout << ch::to_string(type) << " worker=" << e.worker << " seq=" << e.hdr.seq;
  if (type != ch::EventType::kDumpDone) std::cout << " key=" << ch::to_string(e.key);
  if (e.error != 0)
    std::cout << " error=\"" << ch::to_string(static_cast<ch::CommandError>(e.error)) << "\"";
  if (type == ch::EventType::kLatched) std::cout << " peer=" << ch::to_string(e.addr);
  if (type == ch::EventType::kFlowStats || type == ch::EventType::kFlowDeleted ||
      type == ch::EventType::kFlowInfo || type == ch::EventType::kMediaTimeout) {
    std::cout << " remote=" << ch::to_string(e.addr) << " cookie=" << e.cookie
              << " received=" << e.counters.received << " packets=" << e.counters.packets
              << " bytes=" << e.counters.bytes << " rtcp=" << e.counters.rtcp_packets
              << " idle_ms=" << e.counters.idle_ms;
    for (unsigned d = 0; d < ch::kFlowDropCount; ++d)
      std::cout << " drop_" << ch::kFlowDropNames[d] << "=" << e.counters.drops[d];
  }
  std::cout << "\n";
}

// Waits for the events answering `seq` until `done` says the answer is complete.
template <typename Done>
int await(ch::Client& c, uint32_t seq, unsigned timeout_ms, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  ch::Event ev[64];
  int rc = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const unsigned n = c.poll_events(ev, 64);
    for (unsigned i = 0; i < n; ++i) {
      if (ev[i].hdr.seq != seq) continue;
      print_event(ev[i]);
      if (ev[i].hdr.type == static_cast<uint16_t>(ch::EventType::kCommandError)) rc = 1;
      if (done(ev[i])) return rc;
    }
    if (n == 0) usleep(1000);
  }
  std::cerr << "trunkgate-flowctl: no complete answer within " << timeout_ms << " ms\n";
  return 3;
}

int send_one(ch::Client& c, ch::Command cmd, ch::CommandType type, unsigned timeout_ms,
             ch::EventType last) {
  const uint32_t seq = c.stamp(cmd, type);
  if (c.send(&cmd, 1) != 1) {
    std::cerr << "trunkgate-flowctl: command ring full\n";
    return 3;
  }
  return await(c, seq, timeout_ms, [last](const ch::Event& e) {
    return e.hdr.type == static_cast<uint16_t>(last) ||
           e.hdr.type == static_cast<uint16_t>(ch::EventType::kCommandError);
  });
}

int dump(ch::Client& c, unsigned timeout_ms) {
  // One dump command per worker, each answered by its own kDumpDone. The command is routed by
  // its key's port, and port 2w belongs to worker w (owner_of_port: (port >> 1) % workers).
  int rc = 0;
  for (unsigned w = 0; w < c.workers(); ++w) {
    ch::Command cmd{};
    cmd.spec.key.port = static_cast<uint16_t>(2 * w);
    rc |= send_one(c, cmd, ch::CommandType::kDumpFlows, timeout_ms, ch::EventType::kDumpDone);
  }
  return rc;
}

int stats(ch::Client& c) {
  for (unsigned w = 0; w < c.workers(); ++w) {
    const ch::WorkerStats s = c.worker_stats(w);
    std::cout << "worker " << w << ": rx=" << s.rx << " tx=" << s.tx << " handoff=" << s.handoff
              << " exception=" << s.exception << " transcode_in=" << s.transcode_in
              << " flows=" << s.flows << " treated_flows=" << s.treated_flows
              << " commands_ok=" << s.commands_ok << " commands_failed=" << s.commands_failed
              << " events_lost=" << s.events_lost;
    for (unsigned d = 0; d < ch::kDropCount; ++d)
      std::cout << " drop_" << ch::kWorkerDropNames[d] << "=" << s.drops[d];
    std::cout << "\n";
  }
  const ch::ExceptionStats e = c.exception_stats();
  std::cout << "exception path: to_kernel=" << e.to_kernel << " from_kernel=" << e.from_kernel
            << " dropped=" << e.dropped << " requests=" << e.requests_sent
            << " learned=" << e.neighbors_learned << "\n";
  for (unsigned i = 0; i < c.header().n_interfaces; ++i) {
    const ch::PortStats p = c.port_stats(i);
    std::cout << "interface " << i << " (" << c.header().interfaces[i].name << "): ipackets="
              << p.ipackets << " opackets=" << p.opackets << " imissed=" << p.imissed
              << " ierrors=" << p.ierrors << " oerrors=" << p.oerrors << "\n";
  }
  return 0;
}

int interfaces(ch::Client& c) {
  const ch::RegionHeader& h = c.header();
  std::cout << "media ports " << h.media_port_min << "-" << h.media_port_max << ", "
            << h.n_workers << " worker(s)\n";
  for (unsigned i = 0; i < h.n_interfaces; ++i) {
    const ch::InterfaceInfo& info = h.interfaces[i];
    std::cout << i << " " << info.name << " port=" << info.port_id << " vlan=" << info.vlan;
    for (unsigned a = 0; a < info.n_addresses; ++a)
      std::cout << " " << ch::to_string(info.addresses[a]) << "/" << unsigned(info.prefix_len[a]);
    std::cout << "\n";
  }
  return 0;
}

int events(ch::Client& c, unsigned long count, unsigned timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  unsigned long seen = 0;
  ch::Event ev[64];
  while (seen < count && std::chrono::steady_clock::now() < deadline) {
    const unsigned n = c.poll_events(ev, 64);
    for (unsigned i = 0; i < n; ++i) print_event(ev[i]);
    seen += n;
    if (n == 0) usleep(1000);
  }
  return seen >= count ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  std::string instance = "default";
  unsigned long timeout_ms = 2000;
  int i = 1;
  std::string error;
  for (; i + 1 < argc && std::strncmp(argv[i], "--", 2) == 0; i += 2) {
    if (std::strcmp(argv[i], "--instance") == 0) instance = argv[i + 1];
    else if (std::strcmp(argv[i], "--timeout-ms") == 0) timeout_ms = std::strtoul(argv[i + 1], nullptr, 10);
    else break;
  }
  if (i >= argc) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string cmd = argv[i];
  Args a;
  if (!parse(argc, argv, i + 1, a, error)) {
    std::cerr << "trunkgate-flowctl: " << error << "\n" << kUsage;
    return 2;
  }
  auto client = ch::Client::attach(instance, error);
  if (!client) {
    std::cerr << "trunkgate-flowctl: " << error << "\n";
    return 1;
  }
  const unsigned t = static_cast<unsigned>(timeout_ms);
  if (cmd == "add" || cmd == "modify") {
    ch::FlowSpec spec;
    if (!build_spec(a, spec, error)) {
      std::cerr << "trunkgate-flowctl: " << error << "\n";
      return 2;
    }
    const auto type = cmd == "add" ? ch::CommandType::kAddFlow : ch::CommandType::kModifyFlow;
    return send_one(*client, ch::make_flow_command(type, spec), type, t,
                    ch::EventType::kCommandOk);
  }
  if (cmd == "del" || cmd == "query") {
    ch::FlowKey key{};
    if (!endpoint(a, "--key", true, key, error)) {
      std::cerr << "trunkgate-flowctl: " << error << "\n";
      return 2;
    }
    const bool del = cmd == "del";
    const auto type = del ? ch::CommandType::kDeleteFlow : ch::CommandType::kQueryFlow;
    return send_one(*client, ch::make_key_command(type, key), type, t,
                    del ? ch::EventType::kFlowDeleted : ch::EventType::kFlowStats);
  }
  if (cmd == "dump") return dump(*client, t);
  if (cmd == "stats") return stats(*client);
  if (cmd == "interfaces") return interfaces(*client);
  if (cmd == "events") {
    unsigned long count = 1;
    if (!number(a, "--count", 1ul << 30, count, error)) {
      std::cerr << "trunkgate-flowctl: " << error << "\n";
      return 2;
    }
    return events(*client, count, t);
  }
  std::cerr << "trunkgate-flowctl: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}
