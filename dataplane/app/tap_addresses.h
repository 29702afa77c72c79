// Puts the gateway's addresses on a TAP interface so the kernel owns them (ARP/ND, ICMP, the
// control plane's SIP sockets). Through rtnetlink RTM_NEWADDR, which adds an address beside the
// others: the SIOCSIFADDR ioctl replaces an interface's IPv4 address, so a second one silently
// took the first one's place.
#pragma once

#include <string>
#include <vector>

#include "dataplane/app/config.h"

namespace trunkgate::dp {

// Every address of `ic` on the interface named `tap`; an address already there is fine.
bool add_tap_addresses(const std::string& tap, const InterfaceConfig& ic, std::string& error);

}  // namespace trunkgate::dp
