// Next-hop MAC addresses for media, shared by all lcores. The main lcore is the only writer (it
// resolves with ARP/ND and learns from replies on the exception path); workers read lock-free: the
// hash is created with RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF and each MAC is one atomic 64-bit
// word, so a reader never sees half an address. Entries are never deleted (the table is bounded
// and sized for the next hops of all flows), which keeps reader-side indexes valid forever.
#pragma once

#include <rte_hash.h>
#include <rte_ring.h>

#include <cstdint>
#include <string>

#include "dataplane/channel/schema.h"

namespace trunkgate::dp {

struct NeighborKey {
  uint16_t interface;
  channel::Family family;
  uint8_t pad;
  uint8_t addr[16];
};
static_assert(sizeof(NeighborKey) == 20);

NeighborKey make_neighbor_key(uint16_t interface, const channel::IpAddr& addr);

class NeighborTable {
 public:
  static constexpr int32_t kNone = -1;

  NeighborTable() = default;
  NeighborTable(const NeighborTable&) = delete;
  NeighborTable& operator=(const NeighborTable&) = delete;
  ~NeighborTable();

  bool init(const std::string& name, unsigned capacity, int socket, std::string& error);

  // Any lcore.
  int32_t find(const NeighborKey& key) const;
  bool mac(int32_t index, uint8_t out[6]) const;  // false while unresolved
  // Workers ask the main lcore to resolve a next hop; false when the request ring is full.
  bool request(const NeighborKey& key);

  // Main lcore only.
  int32_t insert(const NeighborKey& key);  // kNone when full
  void set_mac(int32_t index, const uint8_t mac[6]);
  unsigned drain_requests(NeighborKey* out, unsigned max);
  const NeighborKey& key_at(int32_t index) const { return keys_[index]; }
  unsigned capacity() const { return capacity_; }

 private:
  rte_hash* hash_ = nullptr;
  rte_ring* requests_ = nullptr;
  uint64_t* macs_ = nullptr;  // bit 63: resolved; bits 0..47: the MAC
  NeighborKey* keys_ = nullptr;
  unsigned capacity_ = 0;
};

}  // namespace trunkgate::dp
