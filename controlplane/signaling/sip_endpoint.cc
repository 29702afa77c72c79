#include "controlplane/signaling/sip_endpoint.h"

#include <fstream>
#include <sstream>

#include "sip/transport/tls_context.h"

namespace trunkgate::cp {
namespace {

sip::TransportProtocol protocol_of(SipTransport t) {
  switch (t) {
    case SipTransport::kTcp:
      return sip::TransportProtocol::kTcp;
    case SipTransport::kTls:
      return sip::TransportProtocol::kTls;
    case SipTransport::kUdp:
      break;
  }
  return sip::TransportProtocol::kUdp;
}

std::string read_pem(const std::string& path, const std::string& what) {
  if (path.empty()) return {};
  std::ifstream in(path);
  if (!in) throw std::runtime_error(what + " '" + path + "' cannot be read");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string describe(const ListenAddress& l) {
  static const char* const kNames[] = {"udp", "tcp", "tls"};
  return std::string(kNames[static_cast<int>(l.transport)]) + " " + l.address + ":" +
         std::to_string(l.port);
}

}  // namespace

SipEndpoint::SipEndpoint(sip::EventLoop& loop, const std::vector<ListenAddress>& listen,
                         sip::TransactionUser user, sip::TransactionTimers timers)
    : scheduler_(loop),
      timers_(timers),
      layer_(scheduler_, *this, timers, std::move(user)),
      resolver_(loop, sip::DnsResolverConfig{}),
      locator_(resolver_, sip::DefaultRandomSource()) {
  // The Warning of 400s names the agent "trunkgate" (the layer's default), never an address:
  // the same 400 can go to either side.
  for (const ListenAddress& l : listen) open(loop, l);
}

SipEndpoint::~SipEndpoint() = default;

void SipEndpoint::open(sip::EventLoop& loop, const ListenAddress& l) {
  const auto local = sip::Endpoint::Parse(l.address, l.port);
  if (!local) throw std::runtime_error("listen " + describe(l) + ": not an IP address");
  auto deliver = [this](sip::ReceivedMessage&& m) { layer_.OnReceived(std::move(m)); };
  try {
    if (l.transport == SipTransport::kUdp) {
      udp_.push_back(std::make_unique<sip::UdpTransport>(loop, *local, deliver));
      return;
    }
    sip::StreamTransportConfig config;
    config.listen = *local;
    if (l.transport == SipTransport::kTls) {
      sip::TlsConfig tls{read_pem(l.certificate, "certificate"),
                         read_pem(l.private_key, "private_key"), read_pem(l.ca, "ca"),
                         l.require_client_certificate};
      config.tls = std::make_shared<sip::TlsContext>(tls);
    }
    const sip::TransportProtocol protocol = protocol_of(l.transport);
    streams_.push_back(std::make_unique<sip::StreamTransport>(
        loop, config, deliver,
        [this, protocol](sip::ConnectionId, const sip::Endpoint& remote, std::string_view) {
          layer_.OnConnectionClosed(protocol, remote);
        }));
  } catch (const std::exception& e) {
    throw std::runtime_error("listen " + describe(l) + ": " + e.what());
  }
}

sip::UdpTransport* SipEndpoint::udp_toward(const sip::Endpoint& destination) const {
  const std::string& source = sources_.lookup(destination);
  sip::UdpTransport* same_family = nullptr;
  for (const auto& u : udp_) {
    if (u->local().family() != destination.family()) continue;
    if (u->local().address() == source) return u.get();
    if (same_family == nullptr) same_family = u.get();
  }
  return same_family;
}

sip::StreamTransport* SipEndpoint::stream_for(sip::TransportProtocol protocol) const {
  for (const auto& s : streams_)
    if (s->protocol() == protocol) return s.get();
  return nullptr;
}

bool SipEndpoint::Send(const sip::TransportTarget& target, std::string_view bytes) {
  if (target.protocol == sip::TransportProtocol::kUdp) {
    sip::UdpTransport* udp = udp_toward(target.endpoint);
    return udp != nullptr && udp->Send(target.endpoint, bytes);
  }
  sip::StreamTransport* stream = stream_for(target.protocol);
  if (stream == nullptr) return false;
  if (target.connection != 0 && stream->SendOn(target.connection, bytes)) return true;
  return stream->SendTo(target.endpoint, bytes, target.server_domain) != 0;
}

std::string SipEndpoint::local_hostport(const sip::TransportTarget& target) const {
  if (target.protocol == sip::TransportProtocol::kUdp) {
    const sip::UdpTransport* udp = udp_toward(target.endpoint);
    return udp ? udp->local().ToString() : std::string();
  }
  const std::string& source = sources_.lookup(target.endpoint);
  const sip::StreamTransport* fallback = nullptr;
  for (const auto& s : streams_) {
    if (s->protocol() != target.protocol) continue;
    if (s->local().address() == source) return s->local().ToString();
    if (fallback == nullptr) fallback = s.get();
  }
  return fallback ? fallback->local().ToString() : std::string();
}

std::string SipEndpoint::make_via(const sip::TransportTarget& target) const {
  return "SIP/2.0/" + std::string(sip::TransportName(target.protocol)) + " " +
         local_hostport(target) + ";branch=" + sip::NewBranch() + ";rport";
}

bool SipEndpoint::send_request(sip::SipMessage request, const sip::TransportTarget& target,
                               sip::ClientTransactionUser user) {
  if (local_hostport(target).empty()) return false;
  if (!request.find(sip::HeaderId::kVia)) request.prepend_header(sip::HeaderId::kVia, make_via(target));
  if (!request.find(sip::HeaderId::kMaxForwards))
    request.add_header(sip::HeaderId::kMaxForwards, "70");
  return layer_.SendRequest(std::move(request), target, std::move(user));
}

bool SipEndpoint::send_stateless(sip::SipMessage message, const sip::TransportTarget& target) {
  if (local_hostport(target).empty()) return false;
  message.prepend_header(sip::HeaderId::kVia, make_via(target));
  if (!message.find(sip::HeaderId::kMaxForwards))
    message.add_header(sip::HeaderId::kMaxForwards, "70");
  return Send(target, message.serialize());
}

void SipEndpoint::resolve(const Trunk& trunk,
                          std::function<void(std::vector<sip::TransportTarget>)> done) {
  const sip::TransportProtocol protocol = protocol_of(trunk.transport);
  const uint16_t default_port = protocol == sip::TransportProtocol::kTls ? 5061 : 5060;
  if (auto numeric = sip::Endpoint::Parse(trunk.peer_host,
                                          trunk.peer_port ? trunk.peer_port : default_port)) {
    done({sip::TransportTarget{protocol, *numeric, 0, ""}});
    return;
  }
  sip::LocateRequest request;
  request.host = trunk.peer_host;
  if (trunk.peer_port) request.port = trunk.peer_port;
  request.transport = protocol;
  locator_.Locate(request, std::move(done));
}

SipEndpoint::Stats SipEndpoint::stats() const {
  Stats s;
  for (const auto& u : udp_) {
    s.udp_received += u->stats().received;
    s.udp_sent += u->stats().sent;
    s.send_failures += u->stats().send_failures;
  }
  return s;
}

}  // namespace trunkgate::cp
