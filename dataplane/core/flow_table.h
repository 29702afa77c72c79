// One worker's flows: an rte_hash from FlowKey to a slot in a flat FlowEntry array. Owned and
// touched by exactly one worker lcore, so it needs no locks: the hash is created without any
// concurrency flags and a deleted slot may be reused at once.
#pragma once

#include <rte_hash.h>

#include <cstdint>
#include <string>

#include "dataplane/channel/schema.h"
#include "dataplane/core/flow_entry.h"

namespace trunkgate::dp {

// The hashed key: a FlowKey padded to 32 bytes, because rte_hash compares 16/32/48/64-byte keys
// with vector instructions and everything else with memcmp (a measured 6% of the relay's cycles).
struct FlowHashKey {
  channel::FlowKey key;
  uint64_t zero;
};
static_assert(sizeof(FlowHashKey) == 32);

// Keys are compared as bytes: this zeroes everything the address family does not use.
FlowHashKey canonical_key(const channel::FlowKey& key);

class FlowTable {
 public:
  FlowTable() = default;
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;
  ~FlowTable();

  bool init(const std::string& name, unsigned capacity, int socket, std::string& error);

  FlowEntry* find(const channel::FlowKey& key);
  int32_t position(const channel::FlowKey& key) const;  // < 0 when the key has no flow
  // positions[i] < 0 when keys[i] has no flow. n <= RTE_HASH_LOOKUP_BULK_MAX.
  void lookup_bulk(const FlowHashKey** keys, unsigned n, int32_t* positions) const;
  FlowEntry& at(int32_t position) { return entries_[position]; }

  // A zeroed entry for a new key; nullptr with kFlowExists or kTableFull.
  FlowEntry* insert(const channel::FlowKey& key, channel::CommandError& error);
  bool erase(const channel::FlowKey& key);

  unsigned size() const { return size_; }
  unsigned capacity() const { return capacity_; }

 private:
  rte_hash* hash_ = nullptr;
  FlowEntry* entries_ = nullptr;
  unsigned capacity_ = 0;
  unsigned size_ = 0;
};

}  // namespace trunkgate::dp
