// The management API's gRPC server inside trunkgate-cp. gRPC runs its own threads; the B2BUA is
// touched only on the event loop's thread: each RPC is posted to the loop (LoopTaskQueue) and its
// handler waits for the answer with a bounded deadline (DEADLINE_EXCEEDED otherwise). Listens on
// a Unix socket, and on TCP when configured (TLS with an optional client CA, or plain TCP only
// when the configuration says insecure: true).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "controlplane/config/cp_config.h"
#include "mgmt/server/gateway_api.h"
#include "sip/transport/loop_task_queue.h"

namespace grpc {
class Server;
}

namespace trunkgate::mgmt {

class MgmtServer {
 public:
  // Starts listening; throws std::runtime_error naming the socket and the reason when it cannot.
  MgmtServer(const cp::ManagementConfig& config, const std::string& instance,
             sip::LoopTaskQueue& tasks, GatewayParts parts);
  ~MgmtServer();  // finishes the shutdown (joins) and removes the Unix socket
  MgmtServer(const MgmtServer&) = delete;
  MgmtServer& operator=(const MgmtServer&) = delete;

  // Stops accepting RPCs and ends running ones (Watch streams) on a thread of its own, so that
  // the loop keeps serving the RPCs already posted to it meanwhile. Loop thread.
  void begin_shutdown();

  const std::string& socket_path() const { return socket_path_; }

 private:
  struct Services;

  GatewayApi api_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  std::string socket_path_;
  std::thread shutdown_;
};

}  // namespace trunkgate::mgmt
