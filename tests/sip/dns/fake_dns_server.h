// A tiny authoritative DNS server for tests: answers A, AAAA, SRV and NAPTR queries over UDP on
// 127.0.0.1 from records the test adds, on the test's event loop. NXDOMAIN for unknown names,
// an empty answer for a known name without records of the asked type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sip/dns/dns_records.h"
#include "sip/transport/event_loop.h"
#include "sip/transport/socket_fd.h"

namespace trunkgate::sip::testing {

class FakeDnsServer {
 public:
  explicit FakeDnsServer(EventLoop& loop);
  ~FakeDnsServer();

  Endpoint endpoint() const { return local_; }
  void AddA(const std::string& name, const std::string& ipv4, std::uint32_t ttl = 300);
  void AddAaaa(const std::string& name, const std::string& ipv6, std::uint32_t ttl = 300);
  void AddSrv(const std::string& name, const SrvRecord& record, std::uint32_t ttl = 300);
  void AddNaptr(const std::string& name, const NaptrRecord& record, std::uint32_t ttl = 300);

  // Queries answered so far, per "name/type".
  int queries(const std::string& name, std::uint16_t type) const;
  int total_queries() const { return total_queries_; }

  // The wire answer to a query for (name, type) with id 0, as the server would send it.
  std::string Answer(const std::string& name, std::uint16_t type) const;

 private:
  struct Record {
    std::uint16_t type;
    std::uint32_t ttl;
    std::string rdata;
  };
  void Add(const std::string& name, std::uint16_t type, std::uint32_t ttl, std::string rdata);
  void OnReadable();
  std::string Respond(std::uint16_t id, const std::string& question, const std::string& name,
                      std::uint16_t type) const;

  EventLoop& loop_;
  SocketFd fd_;
  Endpoint local_;
  std::map<std::string, std::vector<Record>> records_;  // by lower-case name
  std::map<std::string, int> queries_;
  int total_queries_ = 0;
};

}  // namespace trunkgate::sip::testing
