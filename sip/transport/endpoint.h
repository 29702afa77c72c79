// An IPv4 or IPv6 address and port, as the socket layer sees it.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trunkgate::sip {

class Endpoint {
 public:
  Endpoint() = default;
  // Numeric addresses only ("127.0.0.1", "::1", "[::1]"); no name resolution here.
  static std::optional<Endpoint> Parse(std::string_view address, std::uint16_t port);
  static Endpoint FromSockaddr(const sockaddr* address, socklen_t length);

  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t length() const { return length_; }
  int family() const { return storage_.ss_family; }
  bool valid() const { return length_ != 0; }

  std::string address() const;  // without brackets
  std::uint16_t port() const;
  std::string ToString() const;  // "1.2.3.4:5060", "[::1]:5060"

  bool operator==(const Endpoint& other) const;

 private:
  sockaddr_storage storage_{};
  socklen_t length_ = 0;
};

struct EndpointHash {
  std::size_t operator()(const Endpoint& endpoint) const;
};

}  // namespace trunkgate::sip
