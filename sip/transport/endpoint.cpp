#include "sip/transport/endpoint.h"

#include <arpa/inet.h>

#include <cstring>
#include <functional>

namespace trunkgate::sip {

std::optional<Endpoint> Endpoint::Parse(std::string_view address, std::uint16_t port) {
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  if (address.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string text(address);
  Endpoint endpoint;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&endpoint.storage_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&endpoint.storage_);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    endpoint.length_ = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    endpoint.length_ = sizeof(sockaddr_in6);
  } else {
    return std::nullopt;
  }
  return endpoint;
}

Endpoint Endpoint::FromSockaddr(const sockaddr* address, socklen_t length) {
  Endpoint endpoint;
  if (length > sizeof endpoint.storage_) return endpoint;
  std::memcpy(&endpoint.storage_, address, length);
  endpoint.length_ = length;
  return endpoint;
}

std::string Endpoint::address() const {
  char text[INET6_ADDRSTRLEN] = "";
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text,
              sizeof text);
  } else if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

std::uint16_t Endpoint::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  }
  return 0;
}

std::string Endpoint::ToString() const {
  const std::string host = family() == AF_INET6 ? "[" + address() + "]" : address();
  return host + ":" + std::to_string(port());
}

bool Endpoint::operator==(const Endpoint& other) const {
  return family() == other.family() && port() == other.port() && address() == other.address();
}

std::size_t EndpointHash::operator()(const Endpoint& endpoint) const {
  return std::hash<std::string>()(endpoint.ToString());
}

}  // namespace trunkgate::sip
