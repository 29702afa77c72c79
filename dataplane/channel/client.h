// The client side of the channel, for trunkgate-cp and tools: attach to a running data plane
// without EAL or hugepages, send flow commands to the workers that own them, read events and
// counters. Not thread-safe: one thread per client object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/channel/region.h"

namespace trunkgate::channel {

class Client {
 public:
  static std::optional<Client> attach(const std::string& instance, std::string& error);

  unsigned workers() const { return region_.header().n_workers; }
  uint16_t media_port_min() const { return region_.header().media_port_min; }
  uint16_t media_port_max() const { return region_.header().media_port_max; }
  const RegionHeader& header() const { return region_.header(); }
  unsigned owner_of(const FlowKey& key) const { return owner_of_port(key.port, workers()); }

  // Fills in version and a fresh sequence number; returns the sequence number.
  uint32_t stamp(Command& cmd, CommandType type);

  // Enqueues commands in order, each on its owner's ring. Returns how many were enqueued: all, or
  // a prefix when a ring was full (the caller retries the rest after polling events).
  unsigned send(const Command* cmds, unsigned n);

  unsigned poll_events(Event* out, unsigned max);

  // A consistent-enough snapshot: each counter is read atomically, the block is not.
  WorkerStats worker_stats(unsigned worker) const;
  PortStats port_stats(unsigned interface) const;
  ExceptionStats exception_stats() const;
  uint64_t heartbeat() const;

 private:
  explicit Client(Region region) : region_(std::move(region)) {}
  Region region_;
  uint32_t next_seq_ = 1;
};

// Builders for the common commands (version and seq are set by Client::stamp).
Command make_flow_command(CommandType type, const FlowSpec& spec,
                          const MediaTreatment& treatment = {});
Command make_key_command(CommandType type, const FlowKey& key);

// "192.0.2.1:20000", "[2001:db8::1]:20000"; false with an error text on bad input.
bool parse_endpoint(const std::string& text, Endpoint& out, std::string& error);
bool parse_address(const std::string& text, IpAddr& out);
std::string to_string(const IpAddr& addr);
std::string to_string(const Endpoint& ep);
const char* to_string(EventType type);
const char* to_string(CommandError error);

}  // namespace trunkgate::channel
