#include "dataplane/core/neighbor_table.h"

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_ring_elem.h>

#include <cstring>

namespace trunkgate::dp {
namespace {
constexpr uint64_t kResolved = 1ull << 63;
constexpr unsigned kRequestRingSlots = 1024;
}  // namespace

NeighborKey make_neighbor_key(uint16_t interface, const channel::IpAddr& addr) {
  NeighborKey k{};
  k.interface = interface;
  k.family = addr.family;
  std::memcpy(k.addr, addr.bytes, sizeof(k.addr));
  if (addr.family == channel::Family::kIPv4) std::memset(k.addr + 4, 0, 12);
  return k;
}

NeighborTable::~NeighborTable() {
  rte_hash_free(hash_);
  rte_ring_free(requests_);
  rte_free(macs_);
  rte_free(keys_);
}

bool NeighborTable::init(const std::string& name, unsigned capacity, int socket,
                         std::string& error) {
  rte_hash_parameters p{};
  const std::string hash_name = name + "-h";
  p.name = hash_name.c_str();
  p.entries = capacity;
  p.key_len = sizeof(NeighborKey);
  p.hash_func = rte_hash_crc;
  p.socket_id = socket;
  p.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
  hash_ = rte_hash_create(&p);
  requests_ = rte_ring_create_elem((name + "-r").c_str(), sizeof(NeighborKey), kRequestRingSlots,
                                   socket, RING_F_SC_DEQ);
  macs_ = static_cast<uint64_t*>(
      rte_zmalloc_socket("neighbor-macs", sizeof(uint64_t) * capacity, 64, socket));
  keys_ = static_cast<NeighborKey*>(
      rte_zmalloc_socket("neighbor-keys", sizeof(NeighborKey) * capacity, 64, socket));
  if (hash_ == nullptr || requests_ == nullptr || macs_ == nullptr || keys_ == nullptr) {
    error = "cannot allocate the neighbor table (" + std::to_string(capacity) +
            " entries): " + rte_strerror(rte_errno);
    return false;
  }
  capacity_ = capacity;
  return true;
}

int32_t NeighborTable::find(const NeighborKey& key) const {
  const int32_t pos = rte_hash_lookup(hash_, &key);
  return pos < 0 ? kNone : pos;
}

bool NeighborTable::mac(int32_t index, uint8_t out[6]) const {
  const uint64_t v = __atomic_load_n(&macs_[index], __ATOMIC_ACQUIRE);
  if (!(v & kResolved)) return false;
  for (int i = 0; i < 6; ++i) out[i] = static_cast<uint8_t>(v >> (40 - 8 * i));
  return true;
}

bool NeighborTable::request(const NeighborKey& key) {
  NeighborKey copy = key;  // rte_ring_enqueue_elem takes a non-const pointer
  return rte_ring_enqueue_elem(requests_, &copy, sizeof(copy)) == 0;
}

int32_t NeighborTable::insert(const NeighborKey& key) {
  const int32_t found = find(key);
  if (found != kNone) return found;
  const int32_t pos = rte_hash_add_key(hash_, &key);
  if (pos < 0 || static_cast<unsigned>(pos) >= capacity_) return kNone;
  keys_[pos] = key;
  return pos;
}

void NeighborTable::set_mac(int32_t index, const uint8_t mac[6]) {
  uint64_t v = kResolved;
  for (int i = 0; i < 6; ++i) v |= static_cast<uint64_t>(mac[i]) << (40 - 8 * i);
  __atomic_store_n(&macs_[index], v, __ATOMIC_RELEASE);
}

unsigned NeighborTable::drain_requests(NeighborKey* out, unsigned max) {
  return rte_ring_dequeue_burst_elem(requests_, out, sizeof(NeighborKey), max, nullptr);
}

}  // namespace trunkgate::dp
