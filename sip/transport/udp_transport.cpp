#include "sip/transport/udp_transport.h"

#include <linux/sock_diag.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <array>

#include "sip/transport/socket_ops.h"

namespace trunkgate::sip {
namespace {

constexpr std::size_t kMaxDatagram = 65535;
// Datagrams read per wake-up, so that one busy socket cannot starve the others.
constexpr int kMaxDatagramsPerWakeup = 64;

bool IsOnlyCrlf(std::string_view bytes) {
  return bytes.find_first_not_of("\r\n") == std::string_view::npos;
}

// A large receive buffer, forced past rmem_max when permitted.
void EnlargeReceiveBuffer(int fd) {
  const int want = UdpTransport::kReceiveBuffer;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);  // capped at rmem_max
}

// The socket's drop count now (SO_MEMINFO, Linux 4.12): SO_RXQ_OVFL would report it only with
// a datagram queued after the drops, and a burst that overflows may have none.
std::uint64_t KernelDrops(int fd) {
  std::uint32_t meminfo[SK_MEMINFO_VARS] = {};
  socklen_t length = sizeof meminfo;
  if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, meminfo, &length) != 0 ||
      length <= SK_MEMINFO_DROPS * sizeof(std::uint32_t))
    return 0;
  return meminfo[SK_MEMINFO_DROPS];
}

}  // namespace

UdpTransport::UdpTransport(EventLoop& loop, const Endpoint& local, MessageHandler handler)
    : loop_(loop),
      fd_(OpenBoundSocket(SOCK_DGRAM, local)),
      local_(LocalEndpointOf(fd_.get())),
      handler_(std::move(handler)) {
  EnlargeReceiveBuffer(fd_.get());
  loop_.Watch(fd_.get(), EPOLLIN, [this](std::uint32_t) { OnReadable(); });
}

UdpTransport::~UdpTransport() {
  loop_.Unwatch(fd_.get());
}

bool UdpTransport::Send(const Endpoint& destination, std::string_view bytes) {
  const ssize_t sent = sendto(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL,
                              destination.sockaddr_ptr(), destination.length());
  if (sent != static_cast<ssize_t>(bytes.size())) {
    ++stats_.send_failures;
    return false;
  }
  ++stats_.sent;
  return true;
}

int UdpTransport::receive_buffer_bytes() const {
  int bytes = 0;
  socklen_t length = sizeof bytes;
  getsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &bytes, &length);
  return bytes;
}

void UdpTransport::OnReadable() {
  static thread_local std::array<char, kMaxDatagram + 1> buffer;
  for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
    sockaddr_storage source{};
    socklen_t source_length = sizeof source;
    const ssize_t size = recvfrom(fd_.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                                  reinterpret_cast<sockaddr*>(&source), &source_length);
    if (size < 0) {  // EAGAIN: drained (other errors, ICMP, concern no message)
      stats_.dropped_overflow = KernelDrops(fd_.get());
      return;
    }
    if (static_cast<std::size_t>(size) > kMaxDatagram) {
      ++stats_.dropped_truncated;
      continue;
    }
    const std::string_view bytes(buffer.data(), static_cast<std::size_t>(size));
    if (IsOnlyCrlf(bytes)) {
      ++stats_.dropped_keepalive;
      continue;
    }
    ++stats_.received;
    if (!handler_) continue;
    handler_({std::string(bytes), TransportProtocol::kUdp,
              Endpoint::FromSockaddr(reinterpret_cast<sockaddr*>(&source), source_length), local_,
              0});
  }
}

}  // namespace trunkgate::sip
