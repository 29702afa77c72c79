#include "dataplane/core/flow_table.h"

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include <cstring>

namespace trunkgate::dp {

FlowHashKey canonical_key(const channel::FlowKey& key) {
  FlowHashKey k{};
  k.key.addr.family = key.addr.family;
  const unsigned len = key.addr.family == channel::Family::kIPv4 ? 4 : 16;
  std::memcpy(k.key.addr.bytes, key.addr.bytes, len);
  k.key.port = key.port;
  return k;
}

FlowTable::~FlowTable() {
  rte_hash_free(hash_);
  rte_free(entries_);
}

bool FlowTable::init(const std::string& name, unsigned capacity, int socket, std::string& error) {
  rte_hash_parameters p{};
  p.name = name.c_str();
  p.entries = capacity;
  p.key_len = sizeof(FlowHashKey);
  p.hash_func = rte_hash_crc;
  p.socket_id = socket;
  // Extendable buckets: an insert fails only when the table is really full, never on collisions.
  p.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
  hash_ = rte_hash_create(&p);
  entries_ = static_cast<FlowEntry*>(
      rte_zmalloc_socket("flow-entries", sizeof(FlowEntry) * capacity, 64, socket));
  if (hash_ == nullptr || entries_ == nullptr) {
    // rte_zmalloc does not set rte_errno: the only cause here is DPDK memory running out.
    error = "out of DPDK memory for a flow table of " + std::to_string(capacity) + " flows (" +
            std::to_string((sizeof(FlowEntry) + 2 * sizeof(FlowHashKey)) * capacity >> 20) +
            " MiB per worker): raise memory_mb or lower flows_per_worker";
    return false;
  }
  capacity_ = capacity;
  return true;
}

FlowEntry* FlowTable::find(const channel::FlowKey& key) {
  const int32_t pos = position(key);
  return pos < 0 ? nullptr : &entries_[pos];
}

int32_t FlowTable::position(const channel::FlowKey& key) const {
  const FlowHashKey k = canonical_key(key);
  return rte_hash_lookup(hash_, &k);
}

void FlowTable::lookup_bulk(const FlowHashKey** keys, unsigned n, int32_t* positions) const {
  rte_hash_lookup_bulk(hash_, reinterpret_cast<const void**>(keys), n, positions);
}

FlowEntry* FlowTable::insert(const channel::FlowKey& key, channel::CommandError& error) {
  const FlowHashKey k = canonical_key(key);
  if (rte_hash_lookup(hash_, &k) >= 0) {
    error = channel::CommandError::kFlowExists;
    return nullptr;
  }
  const int32_t pos = rte_hash_add_key(hash_, &k);
  if (pos < 0 || static_cast<unsigned>(pos) >= capacity_) {
    if (pos >= 0) rte_hash_del_key(hash_, &k);
    error = channel::CommandError::kTableFull;
    return nullptr;
  }
  FlowEntry& e = entries_[pos];
  std::memset(static_cast<void*>(&e), 0, sizeof(e));
  e.in_use = 1;
  ++size_;
  return &e;
}

bool FlowTable::erase(const channel::FlowKey& key) {
  const FlowHashKey k = canonical_key(key);
  const int32_t pos = rte_hash_del_key(hash_, &k);
  if (pos < 0) return false;
  entries_[pos].in_use = 0;
  --size_;
  return true;
}

}  // namespace trunkgate::dp
