#include "dataplane/app/tap_addresses.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dataplane/channel/client.h"

namespace trunkgate::dp {
namespace {

struct AddressRequest {
  nlmsghdr header;
  ifaddrmsg ifa;
  char attributes[2 * RTA_SPACE(16)];
};

void add_attribute(AddressRequest& req, uint16_t type, const void* data, size_t len) {
  auto* rta =
      reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&req) + NLMSG_ALIGN(req.header.nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = static_cast<uint16_t>(RTA_LENGTH(len));
  std::memcpy(RTA_DATA(rta), data, len);
  req.header.nlmsg_len = NLMSG_ALIGN(req.header.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

// Sends one RTM_NEWADDR and reads the kernel's acknowledgement: 0 or a negative errno.
int new_address(int fd, int ifindex, const InterfaceAddress& a, uint32_t seq) {
  AddressRequest req{};
  req.header.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  req.header.nlmsg_type = RTM_NEWADDR;
  req.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  req.header.nlmsg_seq = seq;
  const bool v4 = a.addr.family == channel::Family::kIPv4;
  req.ifa.ifa_family = v4 ? AF_INET : AF_INET6;
  req.ifa.ifa_prefixlen = a.prefix_len;
  req.ifa.ifa_index = static_cast<unsigned>(ifindex);
  // Duplicate address detection would hold IPv6 addresses "tentative" for a second or more.
  req.ifa.ifa_flags = v4 ? 0 : IFA_F_NODAD;
  const size_t len = v4 ? 4 : 16;
  add_attribute(req, IFA_LOCAL, a.addr.bytes, len);
  add_attribute(req, IFA_ADDRESS, a.addr.bytes, len);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, &req, req.header.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel),
             sizeof(kernel)) < 0)
    return -errno;
  // The acknowledgement is an NLMSG_ERROR carrying the request's sequence number (error 0: done).
  alignas(nlmsghdr) char buf[4096];
  for (int reads = 0; reads < 16; ++reads) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0) return -errno;
    int remaining = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, remaining);
         h = NLMSG_NEXT(h, remaining)) {
      if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return -EPROTO;
      return static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error;
    }
  }
  return -ETIMEDOUT;  // sixteen unrelated messages: not the kernel we know
}

}  // namespace

bool add_tap_addresses(const std::string& tap, const InterfaceConfig& ic, std::string& error) {
  const int ifindex = static_cast<int>(if_nametoindex(tap.c_str()));
  if (ifindex == 0) {
    error = "interface '" + ic.name + "': TAP '" + tap + "' not found: " + std::strerror(errno);
    return false;
  }
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    error = "interface '" + ic.name + "': netlink socket: " + std::strerror(errno);
    return false;
  }
  timeval timeout{5, 0};  // the kernel answers at once; never hang start-up on it
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  bool ok = true;
  uint32_t seq = 1;
  for (const InterfaceAddress& a : ic.addresses) {
    const int rc = new_address(fd, ifindex, a, seq++);
    if (rc != 0 && rc != -EEXIST) {
      error = "interface '" + ic.name + "': cannot put " + channel::to_string(a.addr) + "/" +
              std::to_string(a.prefix_len) + " on " + tap + ": " + std::strerror(-rc);
      ok = false;
      break;
    }
  }
  close(fd);
  return ok;
}

}  // namespace trunkgate::dp
