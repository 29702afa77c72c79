#include "mgmt/server/mgmt_server.h"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "controlplane/logging/log_fields.h"
#include "mgmt/trunkgate.grpc.pb.h"

namespace trunkgate::mgmt {
namespace {

// How long an RPC waits for the event loop. The loop answers in microseconds unless it is stuck;
// this bounds what a client sees then.
constexpr auto kLoopDeadline = std::chrono::seconds(3);
constexpr auto kWatchPoll = std::chrono::milliseconds(200);

template <typename Resp>
struct Pending {
  std::mutex mutex;
  std::condition_variable ready;
  bool done = false;
  grpc::Status status;
  Resp response;
};

// Posts `work(reply)` to the loop and waits for reply(status, response). The loop-side state is
// shared, so a reply that comes after the deadline writes into it harmlessly.
template <typename Resp, typename Work>
grpc::Status on_loop(sip::LoopTaskQueue& tasks, Resp* out, Work work) {
  auto p = std::make_shared<Pending<Resp>>();
  auto reply = [p](grpc::Status status, Resp response) {
    {
      std::lock_guard lock(p->mutex);
      p->status = std::move(status);
      p->response = std::move(response);
      p->done = true;
    }
    p->ready.notify_all();
  };
  if (!tasks.post([work = std::move(work), reply]() mutable { work(reply); }))
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "trunkgate-cp is shutting down");
  std::unique_lock lock(p->mutex);
  if (!p->ready.wait_for(lock, kLoopDeadline, [&] { return p->done; }))
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "trunkgate-cp's event loop did not answer within 3 s");
  *out = std::move(p->response);
  return p->status;
}

// The common case: `fn(response)` runs on the loop and returns the status at once.
template <typename Resp, typename Fn>
grpc::Status run(sip::LoopTaskQueue& tasks, Resp* out, Fn fn) {
  return on_loop(tasks, out, [fn = std::move(fn)](auto reply) mutable {
    Resp response;
    grpc::Status status = fn(response);
    reply(std::move(status), std::move(response));
  });
}

struct Base {
  GatewayApi& api;
  sip::LoopTaskQueue& tasks;
};

class SystemService final : public v1::System::Service, Base {
 public:
  explicit SystemService(Base b) : Base(b) {}
  grpc::Status GetStatus(grpc::ServerContext*, const v1::GetStatusRequest*,
                         v1::GatewayStatus* out) override {
    return run(tasks, out, [a = &api](v1::GatewayStatus& r) { return a->status(r); });
  }
  grpc::Status SetDrain(grpc::ServerContext*, const v1::SetDrainRequest* req,
                        v1::GatewayStatus* out) override {
    return run(tasks, out, [a = &api, drain = req->drain()](v1::GatewayStatus& r) {
      return a->set_drain(drain, r);
    });
  }
  grpc::Status Reload(grpc::ServerContext*, const v1::ReloadRequest*,
                      v1::ReloadResponse* out) override {
    return run(tasks, out, [a = &api](v1::ReloadResponse& r) { return a->reload(r); });
  }
  grpc::Status SetLogLevel(grpc::ServerContext*, const v1::SetLogLevelRequest* req,
                           v1::SetLogLevelResponse* out) override {
    return run(tasks, out, [a = &api, level = req->level()](v1::SetLogLevelResponse& r) {
      return a->set_log_level(level, r);
    });
  }
};

class TrunksService final : public v1::Trunks::Service, Base {
 public:
  explicit TrunksService(Base b) : Base(b) {}
  grpc::Status List(grpc::ServerContext*, const v1::ListTrunksRequest*,
                    v1::ListTrunksResponse* out) override {
    return run(tasks, out, [a = &api](v1::ListTrunksResponse& r) { return a->list_trunks(r); });
  }
  grpc::Status Get(grpc::ServerContext*, const v1::GetTrunkRequest* req, v1::Trunk* out) override {
    return run(tasks, out,
               [a = &api, name = req->name()](v1::Trunk& r) { return a->get_trunk(name, r); });
  }
  grpc::Status Create(grpc::ServerContext*, const v1::PutTrunkRequest* req,
                      v1::Trunk* out) override {
    return put(req->yaml(), cp::PutMode::kCreate, out);
  }
  grpc::Status Update(grpc::ServerContext*, const v1::PutTrunkRequest* req,
                      v1::Trunk* out) override {
    return put(req->yaml(), cp::PutMode::kUpdate, out);
  }
  grpc::Status Delete(grpc::ServerContext*, const v1::DeleteRequest* req,
                      v1::DeleteResponse* out) override {
    return run(tasks, out, [a = &api, name = req->name()](v1::DeleteResponse& r) {
      return a->delete_trunk(name, r);
    });
  }

 private:
  grpc::Status put(const std::string& yaml, cp::PutMode mode, v1::Trunk* out) {
    return run(tasks, out,
               [a = &api, yaml, mode](v1::Trunk& r) { return a->put_trunk(yaml, mode, r); });
  }
};

class RoutesService final : public v1::Routes::Service, Base {
 public:
  explicit RoutesService(Base b) : Base(b) {}
  grpc::Status List(grpc::ServerContext*, const v1::ListRoutesRequest*,
                    v1::ListRoutesResponse* out) override {
    return run(tasks, out, [a = &api](v1::ListRoutesResponse& r) { return a->list_routes(r); });
  }
  grpc::Status Get(grpc::ServerContext*, const v1::GetRouteRequest* req, v1::Route* out) override {
    return run(tasks, out,
               [a = &api, name = req->name()](v1::Route& r) { return a->get_route(name, r); });
  }
  grpc::Status Create(grpc::ServerContext*, const v1::PutRouteRequest* req,
                      v1::Route* out) override {
    return put(req->route(), cp::PutMode::kCreate, out);
  }
  grpc::Status Update(grpc::ServerContext*, const v1::PutRouteRequest* req,
                      v1::Route* out) override {
    return put(req->route(), cp::PutMode::kUpdate, out);
  }
  grpc::Status Delete(grpc::ServerContext*, const v1::DeleteRequest* req,
                      v1::DeleteResponse* out) override {
    return run(tasks, out, [a = &api, name = req->name()](v1::DeleteResponse& r) {
      return a->delete_route(name, r);
    });
  }

 private:
  grpc::Status put(const v1::Route& route, cp::PutMode mode, v1::Route* out) {
    return run(tasks, out,
               [a = &api, route, mode](v1::Route& r) { return a->put_route(route, mode, r); });
  }
};

class CallsService final : public v1::Calls::Service, Base {
 public:
  explicit CallsService(Base b) : Base(b) {}
  grpc::Status List(grpc::ServerContext*, const v1::ListCallsRequest* req,
                    v1::ListCallsResponse* out) override {
    return run(tasks, out, [a = &api, filter = *req](v1::ListCallsResponse& r) {
      return a->list_calls(filter, r);
    });
  }
  grpc::Status Get(grpc::ServerContext*, const v1::GetCallRequest* req, v1::Call* out) override {
    return on_loop(tasks, out, [a = &api, id = req->id()](auto reply) { a->get_call(id, reply); });
  }
  grpc::Status Hangup(grpc::ServerContext*, const v1::HangupRequest* req,
                      v1::HangupResponse* out) override {
    return run(tasks, out, [a = &api, id = req->id(), cause = req->cause()](v1::HangupResponse& r) {
      return a->hangup(id, cause, r);
    });
  }
  // Subscribed before the initial metadata goes out: a client that has it misses no event.
  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchRequest*,
                     grpc::ServerWriter<v1::CallEvent>* writer) override {
    auto watcher = api.events().subscribe();
    context->AddInitialMetadata("trunkgate-watch", "subscribed");
    writer->SendInitialMetadata();
    while (!context->IsCancelled()) {
      auto event = watcher->next(kWatchPoll);
      if (watcher->closed()) break;
      if (event && !writer->Write(*event)) break;
    }
    return grpc::Status::OK;
  }
};

class DataPlaneService final : public v1::DataPlane::Service, Base {
 public:
  explicit DataPlaneService(Base b) : Base(b) {}
  grpc::Status GetStats(grpc::ServerContext*, const v1::GetDataPlaneStatsRequest*,
                        v1::DataPlaneStats* out) override {
    return run(tasks, out, [a = &api](v1::DataPlaneStats& r) { return a->dataplane_stats(r); });
  }
};

std::string read_pem(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("management.tcp." + std::string(what) + ": cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::shared_ptr<grpc::ServerCredentials> tcp_credentials(const cp::ManagementConfig& c) {
  if (c.insecure_tcp) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      c.client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_key_cert_pairs.push_back(
      {read_pem(c.private_key, "private_key"), read_pem(c.certificate, "certificate")});
  if (!c.client_ca.empty()) options.pem_root_certs = read_pem(c.client_ca, "client_ca");
  return grpc::SslServerCredentials(options);
}

// A socket file left by a trunkgate-cp that died is removed; one that a live process still
// serves is not taken over.
void prepare_socket_path(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path))
    throw std::runtime_error("management.socket: '" + path + "' is longer than " +
                             std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    throw std::runtime_error("management.socket: cannot create " + parent.string() + ": " +
                             ec.message());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if (!S_ISSOCK(st.st_mode))
    throw std::runtime_error("management.socket: " + path + " exists and is not a socket");
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool live = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  if (fd >= 0) ::close(fd);
  if (live)
    throw std::runtime_error("management.socket: " + path +
                             " is in use by a running process (another trunkgate-cp?)");
  ::unlink(path.c_str());
}

}  // namespace

struct MgmtServer::Services {
  SystemService system;
  TrunksService trunks;
  RoutesService routes;
  CallsService calls;
  DataPlaneService dataplane;
};

MgmtServer::MgmtServer(const cp::ManagementConfig& config, const std::string& instance,
                       sip::LoopTaskQueue& tasks, GatewayParts parts)
    : api_(std::move(parts)), socket_path_(config.socket_path(instance)) {
  const Base base{api_, tasks};
  services_.reset(new Services{SystemService(base), TrunksService(base), RoutesService(base),
                               CallsService(base), DataPlaneService(base)});
  prepare_socket_path(socket_path_);
  grpc::ServerBuilder builder;
  int unix_port = 0, tcp_port = 0;
  builder.AddListeningPort("unix:" + socket_path_, grpc::InsecureServerCredentials(), &unix_port);
  const std::string tcp = config.tcp_address.find(':') == std::string::npos
                              ? config.tcp_address
                              : "[" + config.tcp_address + "]";
  if (config.tcp_port != 0)
    builder.AddListeningPort(tcp + ":" + std::to_string(config.tcp_port), tcp_credentials(config),
                             &tcp_port);
  for (grpc::Service* s : std::initializer_list<grpc::Service*>{
           &services_->system, &services_->trunks, &services_->routes, &services_->calls,
           &services_->dataplane})
    builder.RegisterService(s);
  server_ = builder.BuildAndStart();
  if (!server_ || unix_port == 0)
    throw std::runtime_error("cannot listen on unix:" + socket_path_ +
                             " (gRPC's reason is logged above)");
  if (config.tcp_port != 0 && tcp_port == 0)
    throw std::runtime_error("cannot listen on " + tcp + ":" + std::to_string(config.tcp_port) +
                             " (gRPC's reason is logged above)");
  cp::logkv::info("management API listening", "unix", socket_path_, "tcp",
                  config.tcp_port == 0
                      ? std::string()
                      : tcp + ":" + std::to_string(config.tcp_port) +
                            (config.insecure_tcp ? " (plain, insecure)" : " (TLS)"));
}

MgmtServer::~MgmtServer() {
  begin_shutdown();
  if (shutdown_.joinable()) shutdown_.join();
  ::unlink(socket_path_.c_str());
}

void MgmtServer::begin_shutdown() {
  if (shutdown_.joinable() || !server_) return;
  api_.events().close_all();
  shutdown_ = std::thread([server = server_.get()] {
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  });
}

}  // namespace trunkgate::mgmt
