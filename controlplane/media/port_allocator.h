// Local media ports for calls, one PortSpace per local media address: the data plane keys flows
// by (address, port), so every address of every media interface has a whole port range of its
// own, and a gateway with more addresses holds more calls (one address pair holds about
// (max - min) / 4 calls). A call's legs must sit on the same data-plane worker (latching on one
// leg retargets the other leg's flow, and only the owning worker may touch a flow): the first leg
// picks the worker, later legs are allocated on it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>

#include "controlplane/media/port_space.h"
#include "dataplane/channel/schema.h"

namespace trunkgate::cp {

// Equal family and address bytes (the unused bytes of an IPv4 address do not count).
bool same_address(const channel::IpAddr& a, const channel::IpAddr& b);

struct MediaPort {
  channel::IpAddr address;
  uint16_t rtp_port = 0;
  unsigned worker = 0;
};

// `key` is `port`'s RTP or RTCP flow key (address and port: both legs may use the same numbers).
bool keys_port(const channel::FlowKey& key, const MediaPort& port);

class MediaPortAllocator {
 public:
  // RTP ports are the even ports of [min, max - 1] on every address; `workers` >= 1.
  MediaPortAllocator(uint16_t min, uint16_t max, unsigned workers);

  // A call's first leg: a port on one of `addresses` (the leg's interface addresses of the right
  // family), on the next worker in turn that has one free; nullopt when none has.
  std::optional<MediaPort> allocate(std::span<const channel::IpAddr> addresses);
  // A further leg of the call, on `worker`: the address among `addresses` with the most free
  // ports there; nullopt when none has one.
  std::optional<MediaPort> allocate_on(std::span<const channel::IpAddr> addresses, unsigned worker);
  // False for a port that is not allocated (double release, or not ours).
  bool release(const MediaPort& port);

  size_t free_ports(const channel::IpAddr& address, unsigned worker);
  unsigned workers() const { return workers_; }

 private:
  PortSpace& space(const channel::IpAddr& address);

  uint16_t min_, max_;
  unsigned workers_;
  unsigned next_worker_ = 0;
  // Created on first use; bounded by the data plane's interface table (kMaxInterfaces x
  // kMaxAddressesPerInterface addresses).
  std::map<std::pair<channel::Family, std::array<uint8_t, 16>>, PortSpace> spaces_;
};

}  // namespace trunkgate::cp
