#include "controlplane/media/media_interfaces.h"

#include <cstring>

namespace trunkgate::cp {

MediaInterfaces MediaInterfaces::from(const channel::RegionHeader& header) {
  std::vector<MediaInterface> out;
  const unsigned n = std::min<unsigned>(header.n_interfaces, channel::kMaxInterfaces);
  for (unsigned i = 0; i < n; ++i) {
    const channel::InterfaceInfo& info = header.interfaces[i];
    MediaInterface m;
    m.index = static_cast<uint16_t>(i);
    m.name.assign(info.name, strnlen(info.name, sizeof(info.name)));
    const unsigned addresses =
        std::min<unsigned>(info.n_addresses, channel::kMaxAddressesPerInterface);
    m.addresses.assign(info.addresses, info.addresses + addresses);
    out.push_back(std::move(m));
  }
  return MediaInterfaces(std::move(out));
}

const MediaInterface* MediaInterfaces::find(const std::string& name) const {
  for (const MediaInterface& m : interfaces_)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<channel::IpAddr> MediaInterfaces::addresses(const std::string& name,
                                                         channel::Family family) const {
  std::vector<channel::IpAddr> out;
  if (const MediaInterface* m = find(name))
    for (const channel::IpAddr& a : m->addresses)
      if (a.family == family) out.push_back(a);
  return out;
}

}  // namespace trunkgate::cp
