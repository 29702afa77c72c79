#include "controlplane/trunks/inbound_classifier.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace trunkgate::cp {
namespace {

constexpr uint8_t kV4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const uint8_t* v6) {
  return std::memcmp(v6, kV4MappedPrefix, sizeof kV4MappedPrefix) == 0;
}

}  // namespace

InboundClassifier::InboundClassifier(const std::vector<Trunk>& trunks) {
  for (const Trunk& trunk : trunks) {
    for (const IpPrefix& configured : trunk.inbound_sources) {
      Entry entry{.prefix = {}, .length = configured.length, .trunk = &trunk};
      Address& prefix = entry.prefix;
      std::string text = configured.address;
      if (text.size() > 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
      if (inet_pton(AF_INET, text.c_str(), prefix.bytes.data()) == 1) {
        prefix.v4 = true;
        if (entry.length > 32) continue;
      } else if (inet_pton(AF_INET6, text.c_str(), prefix.bytes.data()) == 1) {
        if (entry.length > 128) continue;
        // ::ffff:a.b.c.d/104 is written for IPv4 sources: store it as a.b.c.d/8.
        if (is_v4_mapped(prefix.bytes.data()) && entry.length >= 96) {
          std::memmove(prefix.bytes.data(), prefix.bytes.data() + 12, 4);
          std::fill(prefix.bytes.begin() + 4, prefix.bytes.end(), 0);
          prefix.v4 = true;
          entry.length -= 96;
        }
      } else {
        continue;
      }
      entries_.push_back(entry);
    }
  }
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return a.length > b.length; });
}

bool InboundClassifier::contains(const Entry& entry, const Address& address) {
  if (entry.prefix.v4 != address.v4) return false;
  const unsigned whole = entry.length / 8;
  if (std::memcmp(entry.prefix.bytes.data(), address.bytes.data(), whole) != 0) return false;
  const unsigned rest = entry.length % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (entry.prefix.bytes[whole] & mask) == (address.bytes[whole] & mask);
}

const Trunk* InboundClassifier::match_source(const sip::Endpoint& source) const {
  Address address;
  if (source.family() == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(source.sockaddr_ptr());
    std::memcpy(address.bytes.data(), &in->sin_addr, 4);
    address.v4 = true;
  } else if (source.family() == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(source.sockaddr_ptr());
    const auto* bytes = reinterpret_cast<const uint8_t*>(&in6->sin6_addr);
    address.v4 = is_v4_mapped(bytes);
    if (address.v4)
      std::memcpy(address.bytes.data(), bytes + 12, 4);
    else
      std::memcpy(address.bytes.data(), bytes, 16);
  } else {
    return nullptr;
  }
  for (const Entry& entry : entries_) {
    if (contains(entry, address)) return entry.trunk;
  }
  return nullptr;
}

}  // namespace trunkgate::cp
