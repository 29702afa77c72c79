#include "dataplane/channel/client.h"

#include <arpa/inet.h>
#include <rte_ring_elem.h>

#include <cstring>

namespace trunkgate::channel {
namespace {

uint64_t load_relaxed(const uint64_t& v) { return __atomic_load_n(&v, __ATOMIC_RELAXED); }

}  // namespace

std::optional<Client> Client::attach(const std::string& instance, std::string& error) {
  Region region;
  if (!Region::attach(instance, region, error)) return std::nullopt;
  return Client(std::move(region));
}

uint32_t Client::stamp(Command& cmd, CommandType type) {
  cmd.hdr.version = kSchemaVersion;
  cmd.hdr.type = static_cast<uint16_t>(type);
  cmd.hdr.seq = next_seq_++;
  if (next_seq_ == 0) next_seq_ = 1;
  return cmd.hdr.seq;
}

unsigned Client::send(const Command* cmds, unsigned n) {
  // Consecutive commands for the same worker go in one bulk enqueue: the worker then sees the
  // whole batch in one dequeue.
  unsigned done = 0;
  while (done < n) {
    const unsigned owner = owner_of(cmds[done].spec.key);
    unsigned run = 1;
    while (done + run < n && owner_of(cmds[done + run].spec.key) == owner) ++run;
    const unsigned sent = rte_ring_enqueue_burst_elem(region_.command_ring(owner), &cmds[done],
                                                      sizeof(Command), run, nullptr);
    done += sent;
    if (sent < run) break;
  }
  return done;
}

unsigned Client::poll_events(Event* out, unsigned max) {
  return rte_ring_dequeue_burst_elem(region_.event_ring(), out, sizeof(Event), max, nullptr);
}

WorkerStats Client::worker_stats(unsigned worker) const {
  const WorkerStats& src = region_.worker_stats(worker);
  WorkerStats s{};
  s.rx = load_relaxed(src.rx);
  s.tx = load_relaxed(src.tx);
  s.handoff = load_relaxed(src.handoff);
  s.exception = load_relaxed(src.exception);
  s.transcode_in = load_relaxed(src.transcode_in);
  s.commands_ok = load_relaxed(src.commands_ok);
  s.commands_failed = load_relaxed(src.commands_failed);
  s.events_lost = load_relaxed(src.events_lost);
  s.flows = load_relaxed(src.flows);
  s.loops = load_relaxed(src.loops);
  s.treated_flows = load_relaxed(src.treated_flows);
  for (unsigned i = 0; i < kDropCount; ++i) s.drops[i] = load_relaxed(src.drops[i]);
  return s;
}

PortStats Client::port_stats(unsigned interface) const {
  const PortStats& src = region_.port_stats(interface);
  return PortStats{load_relaxed(src.ipackets), load_relaxed(src.opackets),
                   load_relaxed(src.ibytes),   load_relaxed(src.obytes),
                   load_relaxed(src.imissed),  load_relaxed(src.ierrors),
                   load_relaxed(src.oerrors),  load_relaxed(src.rx_nombuf)};
}

ExceptionStats Client::exception_stats() const {
  const ExceptionStats& src = region_.header().exception;
  return ExceptionStats{load_relaxed(src.to_kernel), load_relaxed(src.from_kernel),
                        load_relaxed(src.dropped), load_relaxed(src.requests_sent),
                        load_relaxed(src.neighbors_learned)};
}

uint64_t Client::heartbeat() const { return load_relaxed(region_.header().heartbeat); }

Command make_flow_command(CommandType type, const FlowSpec& spec,
                          const MediaTreatment& treatment) {
  Command c{};
  c.hdr.type = static_cast<uint16_t>(type);
  c.spec = spec;
  c.treatment = treatment;
  return c;
}

Command make_key_command(CommandType type, const FlowKey& key) {
  Command c{};
  c.hdr.type = static_cast<uint16_t>(type);
  c.spec.key = key;
  return c;
}

bool parse_address(const std::string& text, IpAddr& out) {
  out = IpAddr{};
  if (inet_pton(AF_INET, text.c_str(), out.bytes) == 1) {
    out.family = Family::kIPv4;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), out.bytes) == 1) {
    out.family = Family::kIPv6;
    return true;
  }
  return false;
}

bool parse_endpoint(const std::string& text, Endpoint& out, std::string& error) {
  out = Endpoint{};
  std::string host;
  std::string port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find("]:");
    if (close == std::string::npos) {
      error = "'" + text + "': expected [IPv6]:port";
      return false;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) {
      error = "'" + text + "': expected address:port";
      return false;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (!parse_address(host, out.addr)) {
    error = "'" + host + "' is not an IPv4 or IPv6 address";
    return false;
  }
  char* end = nullptr;
  const unsigned long p = std::strtoul(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p == 0 || p > 65535) {
    error = "'" + port + "' is not a UDP port (1-65535)";
    return false;
  }
  out.port = static_cast<uint16_t>(p);
  return true;
}

std::string to_string(const IpAddr& addr) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (addr.family == Family::kIPv4) inet_ntop(AF_INET, addr.bytes, buf, sizeof(buf));
  if (addr.family == Family::kIPv6) inet_ntop(AF_INET6, addr.bytes, buf, sizeof(buf));
  return addr.family == Family::kNone ? "none" : buf;
}

std::string to_string(const Endpoint& ep) {
  const std::string a = to_string(ep.addr);
  return (ep.addr.family == Family::kIPv6 ? "[" + a + "]" : a) + ":" + std::to_string(ep.port);
}

const char* to_string(EventType type) {
  switch (type) {
    case EventType::kCommandOk: return "ok";
    case EventType::kCommandError: return "error";
    case EventType::kLatched: return "latched";
    case EventType::kMediaTimeout: return "media-timeout";
    case EventType::kFlowStats: return "stats";
    case EventType::kFlowDeleted: return "deleted";
    case EventType::kFlowInfo: return "flow";
    case EventType::kDumpDone: return "dump-done";
    case EventType::kDtmf: return "dtmf";
  }
  return "unknown";
}

const char* to_string(CommandError error) {
  switch (error) {
    case CommandError::kNone: return "none";
    case CommandError::kBadVersion: return "schema version mismatch";
    case CommandError::kUnknownType: return "unknown command type";
    case CommandError::kBadFamily: return "address family missing or mismatched";
    case CommandError::kBadInterface: return "no such interface";
    case CommandError::kNotLocalAddress: return "address is not one of the gateway's";
    case CommandError::kPortOutOfRange: return "port outside the media range";
    case CommandError::kWrongWorker: return "port belongs to another worker";
    case CommandError::kFlowExists: return "flow exists";
    case CommandError::kNoSuchFlow: return "no such flow";
    case CommandError::kTableFull: return "flow table full";
    case CommandError::kBadFlags: return "invalid flag combination";
    case CommandError::kBadDscp: return "DSCP above 63";
    case CommandError::kReverseNotFound: return "reverse flow not on this worker";
    case CommandError::kBadRemote: return "remote address or port unusable";
    case CommandError::kBadTreatment: return "media treatment stages invalid for this flow";
    case CommandError::kTreatmentFull: return "treated-flow pool full";
    case CommandError::kBadSrtpSuite: return "unknown SRTP suite";
    case CommandError::kBadSrtpKey: return "SRTP master key is all zero";
    case CommandError::kBadMki: return "MKI length above 4 or MKI does not fit it";
    case CommandError::kBadReplayWindow: return "replay window not 64 or 128";
    case CommandError::kBadSrtpLifetime: return "SRTP key lifetime above 2^48";
    case CommandError::kBadPayloadType: return "payload type above 127 or mapped twice";
    case CommandError::kBadCodec: return "unsupported transcoding pair";
    case CommandError::kBadPtime: return "ptime not 10, 20, 30 or 40 ms";
    case CommandError::kTreatmentSetup: return "crypto or codec setup failed";
  }
  return "unknown error";
}

}  // namespace trunkgate::channel
