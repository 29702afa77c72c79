#include "controlplane/signaling/source_address.h"

#include <sys/socket.h>
#include <unistd.h>

namespace trunkgate::cp {
namespace {

// connect() on a UDP socket sends nothing; it only makes the kernel choose the route and with it
// the source address, which getsockname() then reports.
std::string route_source(const sip::Endpoint& destination) {
  const int fd = ::socket(destination.family(), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return {};
  std::string source;
  if (::connect(fd, destination.sockaddr_ptr(), destination.length()) == 0) {
    sockaddr_storage local{};
    socklen_t length = sizeof(local);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0)
      source = sip::Endpoint::FromSockaddr(reinterpret_cast<sockaddr*>(&local), length).address();
  }
  ::close(fd);
  return source;
}

}  // namespace

const std::string& SourceAddressCache::lookup(const sip::Endpoint& destination) {
  const std::string key = destination.address();
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxEntries) cache_.clear();
  return cache_.emplace(key, route_source(destination)).first->second;
}

}  // namespace trunkgate::cp
