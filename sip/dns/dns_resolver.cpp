#include "sip/dns/dns_resolver.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <sys/epoll.h>

#include <mutex>
#include <stdexcept>

#include "sip/message/text.h"

namespace trunkgate::sip {
namespace {

constexpr int kMaxAddressesPerAnswer = 32;

void InitCaresOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

std::string Lowercase(std::string name) {
  for (char& c : name) c = ascii_lower(c);
  return name;
}

std::vector<NaptrRecord> ParseNaptr(const unsigned char* answer, int size) {
  std::vector<NaptrRecord> records;
  ares_naptr_reply* reply = nullptr;
  if (ares_parse_naptr_reply(answer, size, &reply) != ARES_SUCCESS) return records;
  for (const ares_naptr_reply* r = reply; r != nullptr; r = r->next) {
    records.push_back({r->order, r->preference, reinterpret_cast<const char*>(r->flags),
                       reinterpret_cast<const char*>(r->service), r->replacement});
  }
  ares_free_data(reply);
  return records;
}

std::vector<SrvRecord> ParseSrv(const unsigned char* answer, int size) {
  std::vector<SrvRecord> records;
  ares_srv_reply* reply = nullptr;
  if (ares_parse_srv_reply(answer, size, &reply) != ARES_SUCCESS) return records;
  for (const ares_srv_reply* r = reply; r != nullptr; r = r->next) {
    records.push_back({r->priority, r->weight, r->port, r->host});
  }
  ares_free_data(reply);
  return records;
}

std::vector<std::string> ParseAddresses(int type, const unsigned char* answer, int size) {
  std::vector<std::string> addresses;
  char text[INET6_ADDRSTRLEN];
  int count = kMaxAddressesPerAnswer;
  if (type == ns_t_a) {
    ares_addrttl ttls[kMaxAddressesPerAnswer];
    if (ares_parse_a_reply(answer, size, nullptr, ttls, &count) != ARES_SUCCESS) return addresses;
    for (int i = 0; i < count; ++i) {
      addresses.emplace_back(inet_ntop(AF_INET, &ttls[i].ipaddr, text, sizeof text));
    }
  } else {
    ares_addr6ttl ttls[kMaxAddressesPerAnswer];
    if (ares_parse_aaaa_reply(answer, size, nullptr, ttls, &count) != ARES_SUCCESS) {
      return addresses;
    }
    for (int i = 0; i < count; ++i) {
      addresses.emplace_back(inet_ntop(AF_INET6, &ttls[i].ip6addr, text, sizeof text));
    }
  }
  return addresses;
}

template <class T>
std::vector<T> Parse(int type, const unsigned char* answer, int size);
template <>
std::vector<NaptrRecord> Parse(int, const unsigned char* answer, int size) {
  return ParseNaptr(answer, size);
}
template <>
std::vector<SrvRecord> Parse(int, const unsigned char* answer, int size) {
  return ParseSrv(answer, size);
}

void QueryDone(void* arg, int status, int, unsigned char* answer, int size) {
  auto* handler = static_cast<std::function<void(int, const unsigned char*, int)>*>(arg);
  // On ARES_EDESTRUCTION the resolver is going away: nobody must be called back.
  if (status != ARES_EDESTRUCTION) (*handler)(status, answer, size);
  delete handler;
}

}  // namespace

std::optional<std::uint32_t> MinAnswerTtl(const unsigned char* answer, int size) {
  if (answer == nullptr || size < NS_HFIXEDSZ) return std::nullopt;
  const int questions = (answer[4] << 8) | answer[5];
  const int answers = (answer[6] << 8) | answer[7];
  long offset = NS_HFIXEDSZ;
  // Skips one (possibly compressed) name at `offset`; false when it does not fit.
  auto skip_name = [&] {
    char* name = nullptr;
    long length = 0;
    if (offset >= size ||
        ares_expand_name(answer + offset, answer, size, &name, &length) != ARES_SUCCESS) {
      return false;
    }
    ares_free_string(name);
    offset += length;
    return true;
  };
  for (int i = 0; i < questions; ++i) {
    if (!skip_name() || (offset += NS_QFIXEDSZ) > size) return std::nullopt;
  }
  std::optional<std::uint32_t> minimum;
  for (int i = 0; i < answers; ++i) {
    if (!skip_name() || offset + NS_RRFIXEDSZ > size) return std::nullopt;
    const unsigned char* fixed = answer + offset;
    const std::uint32_t ttl = (std::uint32_t{fixed[4]} << 24) | (std::uint32_t{fixed[5]} << 16) |
                              (std::uint32_t{fixed[6]} << 8) | fixed[7];
    const int rdlength = (fixed[8] << 8) | fixed[9];
    offset += NS_RRFIXEDSZ + rdlength;
    if (offset > size) return std::nullopt;
    minimum = std::min(minimum.value_or(ttl), ttl);
  }
  return minimum;
}

DnsResolver::DnsResolver(EventLoop& loop, DnsResolverConfig config)
    : loop_(loop),
      config_(std::move(config)),
      naptr_cache_(config_.max_cache_entries, config_.max_ttl),
      srv_cache_(config_.max_cache_entries, config_.max_ttl),
      address_cache_(config_.max_cache_entries, config_.max_ttl) {
  InitCaresOnce();
  ares_options options{};
  options.sock_state_cb = &DnsResolver::OnSocketState;
  options.sock_state_cb_data = this;
  options.timeout = static_cast<int>(config_.timeout.count());
  options.tries = config_.tries;
  const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  if (ares_init_options(&channel_, &options, mask) != ARES_SUCCESS) {
    throw std::runtime_error("c-ares initialisation failed");
  }
  if (config_.servers.empty()) return;
  std::vector<ares_addr_port_node> nodes(config_.servers.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Endpoint& server = config_.servers[i];
    nodes[i].next = i + 1 < nodes.size() ? &nodes[i + 1] : nullptr;
    nodes[i].family = server.family();
    inet_pton(server.family(), server.address().c_str(), &nodes[i].addr);
    nodes[i].udp_port = server.port();
    nodes[i].tcp_port = server.port();
  }
  ares_set_servers_ports(channel_, nodes.data());
}

DnsResolver::~DnsResolver() {
  destroying_ = true;
  loop_.CancelTimer(timer_);
  ares_destroy(channel_);
}

void DnsResolver::LookupNaptr(const std::string& name, Callback<NaptrRecord> done) {
  Lookup(naptr_cache_, name, ns_t_naptr, std::move(done));
}

void DnsResolver::LookupSrv(const std::string& name, Callback<SrvRecord> done) {
  Lookup(srv_cache_, name, ns_t_srv, std::move(done));
}

template <class T>
void DnsResolver::Lookup(TtlCache<std::vector<T>>& cache, const std::string& name, int type,
                         Callback<T> done) {
  const std::string key = Lowercase(name);
  if (auto cached = cache.Get(key)) {
    ++stats_.cache_hits;
    done(std::move(*cached));
    return;
  }
  Send(name, type,
       [this, &cache, key, type, done = std::move(done)](int status, const unsigned char* answer,
                                                         int size) {
         std::vector<T> records;
         if (status == ARES_SUCCESS) records = Parse<T>(type, answer, size);
         if (status != ARES_SUCCESS && status != ARES_ENODATA && status != ARES_ENOTFOUND) {
           ++stats_.failures;  // not cached: the next lookup tries again
         } else {
           const auto ttl = records.empty() ? std::nullopt : MinAnswerTtl(answer, size);
           cache.Put(key, records, ttl ? std::chrono::seconds(*ttl) : config_.negative_ttl);
         }
         done(std::move(records));
       });
}

void DnsResolver::LookupAddresses(const std::string& name, Callback<std::string> done) {
  const std::string key = Lowercase(name);
  if (auto cached = address_cache_.Get(key)) {
    ++stats_.cache_hits;
    done(std::move(*cached));
    return;
  }
  Send(name, ns_t_a,
       [this, name, key, done = std::move(done)](int, const unsigned char* a_answer,
                                                 int a_size) mutable {
         auto addresses = ParseAddresses(ns_t_a, a_answer, a_size);
         const auto a_ttl = addresses.empty() ? std::nullopt : MinAnswerTtl(a_answer, a_size);
         Send(name, ns_t_aaaa,
              [this, key, addresses = std::move(addresses), a_ttl, done = std::move(done)](
                  int, const unsigned char* answer, int size) mutable {
                auto v6 = ParseAddresses(ns_t_aaaa, answer, size);
                auto ttl = v6.empty() ? a_ttl : MinAnswerTtl(answer, size);
                if (a_ttl && ttl) ttl = std::min(*a_ttl, *ttl);
                addresses.insert(addresses.end(), v6.begin(), v6.end());
                address_cache_.Put(key, addresses,
                                   ttl ? std::chrono::seconds(*ttl) : config_.negative_ttl);
                done(std::move(addresses));
              });
       });
}

void DnsResolver::Send(const std::string& name, int type,
                       std::function<void(int, const unsigned char*, int)> handler) {
  ++stats_.queries;
  auto* heap_handler = new std::function<void(int, const unsigned char*, int)>(std::move(handler));
  ares_query(channel_, name.c_str(), ns_c_in, type, &QueryDone, heap_handler);
  RearmTimer();
}

void DnsResolver::OnSocketState(void* data, ares_socket_t fd, int readable, int writable) {
  auto* self = static_cast<DnsResolver*>(data);
  if (self->destroying_ && (readable || writable)) return;
  if (!readable && !writable) {
    self->loop_.Unwatch(fd);
    return;
  }
  const std::uint32_t events = (readable ? EPOLLIN : 0u) | (writable ? EPOLLOUT : 0u);
  self->loop_.Unwatch(fd);  // c-ares reports state changes; re-watching covers both cases
  self->loop_.Watch(fd, events, [self, fd](std::uint32_t ready) {
    const bool in = (ready & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0;
    self->Process(in ? fd : ARES_SOCKET_BAD, (ready & EPOLLOUT) ? fd : ARES_SOCKET_BAD);
  });
}

void DnsResolver::Process(ares_socket_t read_fd, ares_socket_t write_fd) {
  ares_process_fd(channel_, read_fd, write_fd);
  RearmTimer();
}

void DnsResolver::RearmTimer() {
  loop_.CancelTimer(timer_);
  timer_ = 0;
  timeval wait{};
  if (destroying_ || ares_timeout(channel_, nullptr, &wait) == nullptr) return;  // idle
  const auto delay = std::chrono::seconds(wait.tv_sec) + std::chrono::microseconds(wait.tv_usec);
  timer_ = loop_.AddTimer(delay, [this] {
    timer_ = 0;
    Process(ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  });
}

}  // namespace trunkgate::sip
