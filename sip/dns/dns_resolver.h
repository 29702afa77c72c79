// Asynchronous NAPTR, SRV and A/AAAA lookups with c-ares, driven by the event loop (its sockets
// are watched by epoll, its timeouts are loop timers), answers cached for their TTL.
#pragma once

#include <ares.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sip/dns/dns_records.h"
#include "sip/dns/ttl_cache.h"
#include "sip/transport/event_loop.h"

namespace trunkgate::sip {

struct DnsResolverConfig {
  std::vector<Endpoint> servers;            // empty: /etc/resolv.conf
  std::chrono::milliseconds timeout{2000};  // per try
  int tries = 2;
  std::chrono::seconds max_ttl{3600};     // cap on what a server may ask us to cache
  std::chrono::seconds negative_ttl{30};  // how long "no such record" is remembered
  std::size_t max_cache_entries = 4096;   // per record type
};

struct DnsStats {
  std::uint64_t queries = 0;
  std::uint64_t cache_hits = 0;
  std::uint64_t failures = 0;  // timeouts, server failures, malformed answers
};

class DnsResolver {
 public:
  template <class T>
  using Callback = std::function<void(std::vector<T>)>;

  DnsResolver(EventLoop& loop, DnsResolverConfig config);
  ~DnsResolver();
  DnsResolver(const DnsResolver&) = delete;
  DnsResolver& operator=(const DnsResolver&) = delete;

  // Each callback runs once, from the loop, or at once on a cache hit. An empty vector means no
  // records, or a failure.
  void LookupNaptr(const std::string& name, Callback<NaptrRecord> done);
  void LookupSrv(const std::string& name, Callback<SrvRecord> done);
  // A records first, then AAAA, as numeric address strings.
  void LookupAddresses(const std::string& name, Callback<std::string> done);

  const DnsStats& stats() const { return stats_; }

 private:
  struct Query;
  template <class T>
  void Lookup(TtlCache<std::vector<T>>& cache, const std::string& name, int type, Callback<T> done);
  void Send(const std::string& name, int type, std::function<void(int, const unsigned char*, int)>);
  static void OnSocketState(void* self, ares_socket_t fd, int readable, int writable);
  void Process(ares_socket_t read_fd, ares_socket_t write_fd);
  void RearmTimer();

  EventLoop& loop_;
  DnsResolverConfig config_;
  ares_channel channel_ = nullptr;
  TimerId timer_ = 0;
  bool destroying_ = false;
  TtlCache<std::vector<NaptrRecord>> naptr_cache_;
  TtlCache<std::vector<SrvRecord>> srv_cache_;
  TtlCache<std::vector<std::string>> address_cache_;
  DnsStats stats_;
};

// The smallest TTL among the answer records of a DNS response; nullopt if it has none or is
// malformed. Bounded: never reads outside `size`.
std::optional<std::uint32_t> MinAnswerTtl(const unsigned char* answer, int size);

}  // namespace trunkgate::sip
