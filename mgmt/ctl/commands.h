// trunkgatectl's commands: each sends its RPC, prints the answer (table or JSON) and returns the
// exit code (0 done, 1 refused by the gateway, 2 bad usage, 3 gateway not reachable).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace trunkgate::ctl {

struct Context {
  std::shared_ptr<grpc::Channel> channel;
  std::string target;  // "unix:/run/trunkgate/default.sock", for messages
  bool json = false;
  std::chrono::seconds timeout{5};
};

inline constexpr int kExitRefused = 1, kExitUsage = 2, kExitUnreachable = 3;

bool is_command(const std::string& name);
// args[0] is the command.
int run_command(const Context& ctx, const std::vector<std::string>& args);

}  // namespace trunkgate::ctl
