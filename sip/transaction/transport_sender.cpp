#include "sip/transaction/transport_sender.h"

namespace trunkgate::sip {

bool TransportSender::Send(const TransportTarget& target, std::string_view bytes) {
  if (target.protocol == TransportProtocol::kUdp) {
    return udp_ != nullptr && udp_->Send(target.endpoint, bytes);
  }
  StreamTransport* stream = target.protocol == TransportProtocol::kTcp ? tcp_ : tls_;
  if (stream == nullptr) return false;
  if (target.connection != 0 && stream->SendOn(target.connection, bytes)) return true;
  return stream->SendTo(target.endpoint, bytes, target.server_domain) != 0;
}

}  // namespace trunkgate::sip
