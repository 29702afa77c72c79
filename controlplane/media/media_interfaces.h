// The data plane's interfaces as trunkgate-cp sees them: read from the channel region at attach,
// so the control plane never keeps a second copy of interface names and addresses that could
// disagree with the data plane's configuration. A trunk's media_interface names one of them.
#pragma once

#include <string>
#include <vector>

#include "dataplane/channel/schema.h"

namespace trunkgate::cp {

struct MediaInterface {
  uint16_t index = 0;  // the data plane's interface index (FlowSpec::out_interface)
  std::string name;
  std::vector<channel::IpAddr> addresses;
};

class MediaInterfaces {
 public:
  static MediaInterfaces from(const channel::RegionHeader& header);
  // For tests and tools that build the table by hand.
  explicit MediaInterfaces(std::vector<MediaInterface> interfaces)
      : interfaces_(std::move(interfaces)) {}

  const MediaInterface* find(const std::string& name) const;
  // The interface's addresses of `family`, in configuration order.
  std::vector<channel::IpAddr> addresses(const std::string& name, channel::Family family) const;
  const std::vector<MediaInterface>& all() const { return interfaces_; }

 private:
  std::vector<MediaInterface> interfaces_;
};

}  // namespace trunkgate::cp
