// Thin wrappers over the socket calls the transports share; all sockets are non-blocking.
#pragma once

#include "sip/transport/endpoint.h"
#include "sip/transport/socket_fd.h"

namespace trunkgate::sip {

// socket() + SO_REUSEADDR + bind(); throws std::system_error on failure.
SocketFd OpenBoundSocket(int type, const Endpoint& local);
// A non-blocking connect() in progress (or done); throws on immediate failure.
SocketFd StartConnect(const Endpoint& remote);
Endpoint LocalEndpointOf(int fd);
// The pending error of a socket (SO_ERROR), 0 when none.
int PendingSocketError(int fd);

}  // namespace trunkgate::sip
