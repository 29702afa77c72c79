#include "sip/dns/server_locator.h"

namespace trunkgate::sip {
namespace {

std::string SrvPrefix(TransportProtocol protocol) {
  switch (protocol) {
    case TransportProtocol::kUdp:
      return "_sip._udp.";
    case TransportProtocol::kTcp:
      return "_sip._tcp.";
    case TransportProtocol::kTls:
      return "_sips._tcp.";
  }
  return "_sip._udp.";
}

bool IsNumericHost(const std::string& host) {
  return Endpoint::Parse(host, 0).has_value();
}

}  // namespace

std::uint16_t DefaultPort(TransportProtocol protocol) {
  return protocol == TransportProtocol::kTls ? 5061 : 5060;
}

// One location in progress. It runs its DNS steps one after another (each SRV name, then each
// SRV target's addresses), so the result keeps the order RFC 3263 and RFC 2782 define.
class ServerLocator::Job : public std::enable_shared_from_this<Job> {
 public:
  struct Srv {
    TransportProtocol protocol;
    std::string name;
  };

  Job(ServerLocator& locator, LocateRequest request,
      std::function<void(std::vector<TransportTarget>)> done)
      : locator_(locator), request_(std::move(request)), done_(std::move(done)) {}

  void Start() {
    const TransportProtocol fallback = Fallback();
    if (IsNumericHost(request_.host)) {
      AddAddress(fallback, request_.host, request_.port.value_or(DefaultPort(fallback)));
      return Finish();
    }
    if (request_.port)
      return ResolveHost(fallback, *request_.port, [self = shared_from_this()] { self->Finish(); });
    if (request_.transport || request_.sips) {
      srv_queue_.push_back({fallback, SrvPrefix(fallback) + request_.host});
      return NextSrv();
    }
    auto self = shared_from_this();
    locator_.resolver_.LookupNaptr(request_.host, [self](std::vector<NaptrRecord> records) {
      for (const SipNaptrTarget& target :
           SelectSipNaptrs(std::move(records), self->request_.sips)) {
        self->srv_queue_.push_back({target.protocol, target.srv_name});
      }
      if (self->srv_queue_.empty()) {
        for (TransportProtocol protocol : self->locator_.preference_) {
          self->srv_queue_.push_back({protocol, SrvPrefix(protocol) + self->request_.host});
        }
      }
      self->NextSrv();
    });
  }

 private:
  // Without SRV: the URI's transport, else UDP for sip: and TLS for sips: (RFC 3263 4.1).
  TransportProtocol Fallback() const {
    return request_.sips ? TransportProtocol::kTls
                         : request_.transport.value_or(TransportProtocol::kUdp);
  }

  // Works through the SRV names; if none had records, falls back to the host's A/AAAA records.
  void NextSrv() {
    if (srv_queue_.empty()) {
      if (!targets_.empty() || found_srv_) return Finish();
      const TransportProtocol fallback = Fallback();
      return ResolveHost(fallback, DefaultPort(fallback),
                         [self = shared_from_this()] { self->Finish(); });
    }
    const Srv srv = srv_queue_.front();
    srv_queue_.erase(srv_queue_.begin());
    auto self = shared_from_this();
    locator_.resolver_.LookupSrv(srv.name, [self, srv](std::vector<SrvRecord> records) {
      self->found_srv_ = self->found_srv_ || !records.empty();
      self->srv_targets_ = OrderSrvRecords(std::move(records), self->locator_.random_);
      self->srv_protocol_ = srv.protocol;
      self->NextSrvTarget();
    });
  }

  void NextSrvTarget() {
    if (srv_targets_.empty()) return NextSrv();
    const SrvRecord record = srv_targets_.front();
    srv_targets_.erase(srv_targets_.begin());
    auto self = shared_from_this();
    locator_.resolver_.LookupAddresses(
        record.target, [self, record](std::vector<std::string> addresses) {
          for (const std::string& address : addresses) {
            self->AddAddress(self->srv_protocol_, address, record.port);
          }
          self->NextSrvTarget();
        });
  }

  void ResolveHost(TransportProtocol protocol, std::uint16_t port, std::function<void()> then) {
    auto self = shared_from_this();
    locator_.resolver_.LookupAddresses(
        request_.host, [self, protocol, port, then](std::vector<std::string> addresses) {
          for (const std::string& address : addresses) self->AddAddress(protocol, address, port);
          then();
        });
  }

  void AddAddress(TransportProtocol protocol, const std::string& address, std::uint16_t port) {
    const auto endpoint = Endpoint::Parse(address, port);
    if (!endpoint) return;
    const std::string domain = protocol == TransportProtocol::kTls ? request_.host : "";
    targets_.push_back({protocol, *endpoint, 0, domain});
  }

  void Finish() { done_(std::move(targets_)); }

  ServerLocator& locator_;
  LocateRequest request_;
  std::function<void(std::vector<TransportTarget>)> done_;
  std::vector<Srv> srv_queue_;
  std::vector<SrvRecord> srv_targets_;
  TransportProtocol srv_protocol_ = TransportProtocol::kUdp;
  bool found_srv_ = false;
  std::vector<TransportTarget> targets_;
};

ServerLocator::ServerLocator(DnsResolver& resolver, RandomSource random,
                             std::vector<TransportProtocol> preference)
    : resolver_(resolver), random_(std::move(random)), preference_(std::move(preference)) {}

void ServerLocator::Locate(const LocateRequest& request,
                           std::function<void(std::vector<TransportTarget>)> done) {
  std::make_shared<Job>(*this, request, std::move(done))->Start();
}

}  // namespace trunkgate::sip
