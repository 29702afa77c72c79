// The shared-memory region of one data-plane instance: a POSIX shm object "/trunkgate-<instance>"
// holding the RegionHeader, one command ring per worker, the event ring and the stats blocks. The
// rings are DPDK rte_rings initialised in place (rte_ring_init needs no EAL), so clients need
// neither EAL nor hugepages: they map the object and use the header's offsets.
#pragma once

#include <rte_ring.h>

#include <string>

#include "dataplane/channel/schema.h"

namespace trunkgate::channel {

struct RegionParams {
  std::string instance;
  unsigned n_workers = 1;
  unsigned command_ring_slots = 4096;  // power of two
  unsigned event_ring_slots = 16384;   // power of two
  uint16_t media_port_min = 20000;
  uint16_t media_port_max = 29999;
};

class Region {
 public:
  Region() = default;
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  Region(Region&& other) noexcept;
  Region& operator=(Region&& other) noexcept;
  ~Region();

  // Data plane side: creates (replacing a stale object of a dead instance) and lays out the region.
  // `ready` stays 0 until publish().
  static bool create(const RegionParams& params, Region& out, std::string& error);
  // Client side: maps an existing, published region and checks magic and version.
  static bool attach(const std::string& instance, Region& out, std::string& error);

  void publish();  // data plane: everything is initialised
  bool valid() const { return base_ != nullptr; }
  RegionHeader& header() const { return *static_cast<RegionHeader*>(base_); }
  rte_ring* command_ring(unsigned worker) const;
  rte_ring* event_ring() const;
  WorkerStats& worker_stats(unsigned worker) const;
  PortStats& port_stats(unsigned interface) const;

  static std::string shm_name(const std::string& instance) { return "/trunkgate-" + instance; }
  static bool valid_instance_name(const std::string& instance);

 private:
  void* at(uint64_t offset) const { return static_cast<char*>(base_) + offset; }
  void release();

  void* base_ = nullptr;
  size_t size_ = 0;
  std::string unlink_name_;  // set for the creator: the object is removed on destruction
};

}  // namespace trunkgate::channel
