#include "tests/sip/sipp/sipp_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "sip/transport/socket_ops.h"

extern char** environ;

namespace trunkgate::sip::testing {

SippProcess::SippProcess(EventLoop& loop, const std::vector<std::string>& args,
                         const std::string& log_path)
    : loop_(loop) {
  std::vector<std::string> argv_storage = {"sipp"};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int error = posix_spawnp(&pid_, "sipp", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start sipp");
  pidfd_ = SocketFd(static_cast<int>(syscall(SYS_pidfd_open, pid_, 0)));
  if (!pidfd_.valid()) throw std::runtime_error("pidfd_open failed");
  loop_.Watch(pidfd_.get(), EPOLLIN, [this](std::uint32_t) { Reap(); });
}

SippProcess::~SippProcess() {
  if (exited()) return;
  loop_.Unwatch(pidfd_.get());
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

void SippProcess::Reap() {
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return;
  loop_.Unwatch(pidfd_.get());
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::uint16_t FreeUdpPort() {
  const SocketFd probe = OpenBoundSocket(SOCK_DGRAM, *Endpoint::Parse("127.0.0.1", 0));
  return LocalEndpointOf(probe.get()).port();
}

}  // namespace trunkgate::sip::testing
