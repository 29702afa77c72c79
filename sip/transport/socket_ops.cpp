#include "sip/transport/socket_ops.h"

#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace trunkgate::sip {
namespace {

SocketFd OpenSocket(int family, int type) {
  SocketFd fd(socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw std::system_error(errno, std::generic_category(), "socket");
  if (type == SOCK_STREAM) {
    // SIP messages are written whole; Nagle would only delay the last segment of each.
    const int on = 1;
    setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  return fd;
}

}  // namespace

SocketFd OpenBoundSocket(int type, const Endpoint& local) {
  SocketFd fd = OpenSocket(local.family(), type);
  const int on = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind(fd.get(), local.sockaddr_ptr(), local.length()) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind " + local.ToString());
  }
  return fd;
}

SocketFd StartConnect(const Endpoint& remote) {
  SocketFd fd = OpenSocket(remote.family(), SOCK_STREAM);
  if (connect(fd.get(), remote.sockaddr_ptr(), remote.length()) != 0 && errno != EINPROGRESS) {
    throw std::system_error(errno, std::generic_category(), "connect " + remote.ToString());
  }
  return fd;
}

Endpoint LocalEndpointOf(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  return Endpoint::FromSockaddr(reinterpret_cast<sockaddr*>(&storage), length);
}

int PendingSocketError(int fd) {
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
  return error;
}

}  // namespace trunkgate::sip
