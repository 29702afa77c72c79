// Runs SIPp as a child process whose exit the event loop reports (through a pidfd), so the
// program under test keeps serving SIP on the same thread while SIPp runs.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "sip/transport/event_loop.h"
#include "sip/transport/socket_fd.h"

namespace trunkgate::sip::testing {

class SippProcess {
 public:
  // `args` follow the program name; SIPp's screen output goes to `log_path`.
  SippProcess(EventLoop& loop, const std::vector<std::string>& args, const std::string& log_path);
  ~SippProcess();  // kills SIPp if it is still running
  SippProcess(const SippProcess&) = delete;
  SippProcess& operator=(const SippProcess&) = delete;

  bool exited() const { return exit_status_.has_value(); }
  // SIPp exits 0 when every call succeeded.
  std::optional<int> exit_status() const { return exit_status_; }

 private:
  void Reap();

  EventLoop& loop_;
  pid_t pid_ = -1;
  SocketFd pidfd_;
  std::optional<int> exit_status_;
};

// A UDP port nobody on 127.0.0.1 uses right now, for SIPp to listen on.
std::uint16_t FreeUdpPort();

}  // namespace trunkgate::sip::testing
