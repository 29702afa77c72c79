// The management API's operations, on the event loop's thread: each fills a response message from
// the B2BUA, the live configuration and the data plane's shared region, or changes them, and
// returns the gRPC status (an error message names the field or object and the reason).
// mgmt_server.cc posts every RPC here; nothing in this class is thread-safe except events().
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "controlplane/app/live_config.h"
#include "controlplane/b2bua/b2bua.h"
#include "controlplane/media/flow_programmer.h"
#include "controlplane/trunks/registration_client.h"
#include "mgmt/server/event_hub.h"
#include "mgmt/trunkgate.pb.h"
#include "sip/transport/event_loop.h"

namespace trunkgate::mgmt {

// What main hands the management API (all owned by main, all used on the loop thread).
struct GatewayParts {
  sip::EventLoop& loop;
  cp::B2bua& b2bua;
  cp::FlowProgrammer& flows;
  cp::LiveConfig& config;
  std::function<bool(const std::string& trunk)> trunk_up;
  std::function<std::optional<cp::RegistrationStatus>(const std::string& trunk)> registration;
};

class GatewayApi {
 public:
  using CallDone = std::function<void(grpc::Status, v1::Call)>;

  // Installs the B2BUA's call-event observer and a once-a-second sample of the data plane's
  // heartbeat; the destructor removes both.
  explicit GatewayApi(GatewayParts parts);
  ~GatewayApi();
  GatewayApi(const GatewayApi&) = delete;
  GatewayApi& operator=(const GatewayApi&) = delete;

  // system_api.cc
  grpc::Status status(v1::GatewayStatus& out);
  grpc::Status set_drain(bool drain, v1::GatewayStatus& out);
  grpc::Status reload(v1::ReloadResponse& out);
  grpc::Status set_log_level(const std::string& level, v1::SetLogLevelResponse& out);
  grpc::Status dataplane_stats(v1::DataPlaneStats& out);

  // config_api.cc
  grpc::Status list_trunks(v1::ListTrunksResponse& out);
  grpc::Status get_trunk(const std::string& name, v1::Trunk& out);
  grpc::Status put_trunk(const std::string& yaml, cp::PutMode mode, v1::Trunk& out);
  grpc::Status delete_trunk(const std::string& name, v1::DeleteResponse& out);
  grpc::Status list_routes(v1::ListRoutesResponse& out);
  grpc::Status get_route(const std::string& name, v1::Route& out);
  grpc::Status put_route(const v1::Route& route, cp::PutMode mode, v1::Route& out);
  grpc::Status delete_route(const std::string& name, v1::DeleteResponse& out);

  // call_api.cc
  grpc::Status list_calls(const v1::ListCallsRequest& filter, v1::ListCallsResponse& out);
  // Asks the data plane for the call's flow counters; `done` runs once they are in (or late).
  void get_call(uint64_t id, CallDone done);
  grpc::Status hangup(uint64_t id, const std::string& cause, v1::HangupResponse& out);

  EventHub& events() { return events_; }  // thread-safe

 private:
  void sample_heartbeat();
  void fill_trunk(const cp::Trunk& t, v1::Trunk& out) const;
  grpc::Status applied(cp::EditResult result);

  GatewayParts parts_;
  EventHub events_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  uint64_t last_heartbeat_ = 0;
  std::chrono::steady_clock::time_point heartbeat_changed_ = std::chrono::steady_clock::now();
  sip::TimerId heartbeat_timer_ = 0;
};

// v1::Call without counters, as List returns it (call_api.cc).
void fill_call(const cp::Call& call, v1::Call& out);

}  // namespace trunkgate::mgmt
