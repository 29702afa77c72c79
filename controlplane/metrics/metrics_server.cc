#include "controlplane/metrics/metrics_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>

#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "controlplane/logging/log_fields.h"
#include "controlplane/metrics/exposition.h"

namespace trunkgate::cp {
namespace {

constexpr unsigned kMaxConnections = 16;
constexpr unsigned kMaxConnectionsPerClient = 4;
constexpr unsigned kIdleTimeoutS = 10;
constexpr size_t kConnectionMemory = 32 * 1024;  // request headers; the response is apart

void mhd_log(void*, const char* format, va_list args) {
  char text[256];
  std::vsnprintf(text, sizeof(text), format, args);
  std::string_view line(text);
  while (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  logkv::warn("metrics endpoint", "detail", line);
}

MHD_Result respond(MHD_Connection* connection, unsigned status, std::string_view body,
                   const char* content_type, const char* allow = nullptr) {
  MHD_Response* response = MHD_create_response_from_buffer(
      body.size(), const_cast<char*>(body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  if (allow != nullptr) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow);
  const MHD_Result queued = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return queued;
}

}  // namespace

MetricsServer::MetricsServer(sip::EventLoop& loop, const MetricsListen& listen, Render render)
    : loop_(loop), render_(std::move(render)) {
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  const sockaddr* address = nullptr;
  unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  if (inet_pton(AF_INET, listen.address.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(listen.port);
    address = reinterpret_cast<const sockaddr*>(&v4);
  } else if (inet_pton(AF_INET6, listen.address.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(listen.port);
    address = reinterpret_cast<const sockaddr*>(&v6);
    flags |= MHD_USE_IPv6;
  } else {
    throw std::runtime_error("metrics: '" + listen.address + "' is not an IP address");
  }
  // The logger first: MHD reads options in order, and messages before it would go to stderr.
  daemon_ = MHD_start_daemon(flags, listen.port, nullptr, nullptr, &MetricsServer::on_request, this,
                             MHD_OPTION_EXTERNAL_LOGGER, &mhd_log, nullptr, MHD_OPTION_SOCK_ADDR,
                             address, MHD_OPTION_CONNECTION_LIMIT, kMaxConnections,
                             MHD_OPTION_PER_IP_CONNECTION_LIMIT, kMaxConnectionsPerClient,
                             MHD_OPTION_CONNECTION_TIMEOUT, kIdleTimeoutS,
                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory, MHD_OPTION_END);
  if (daemon_ == nullptr)
    throw std::runtime_error("metrics: cannot listen on " + listen.address + ":" +
                             std::to_string(listen.port) + " (address in use, or not local?)");
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_EPOLL_FD);
  epoll_fd_ = info != nullptr ? info->epoll_fd : -1;
  if (epoll_fd_ < 0) {
    MHD_stop_daemon(daemon_);
    throw std::runtime_error("metrics: libmicrohttpd has no epoll descriptor");
  }
  loop_.Watch(epoll_fd_, EPOLLIN, [this](uint32_t) { run(); });
  logkv::info("metrics endpoint listening", "address", listen.address, "port", listen.port, "path",
              "/metrics");
}

MetricsServer::~MetricsServer() {
  if (timer_ != 0) loop_.CancelTimer(timer_);
  loop_.Unwatch(epoll_fd_);
  MHD_stop_daemon(daemon_);  // closes epoll_fd_ too
}

void MetricsServer::run() {
  MHD_run(daemon_);
  if (timer_ != 0) loop_.CancelTimer(timer_);
  timer_ = 0;
  MHD_UNSIGNED_LONG_LONG ms = 0;
  if (MHD_get_timeout(daemon_, &ms) == MHD_YES) {
    timer_ = loop_.AddTimer(std::chrono::milliseconds(ms), [this] {
      timer_ = 0;
      run();
    });
  }
}

MHD_Result MetricsServer::on_request(void* self, MHD_Connection* connection, const char* url,
                                     const char* method, const char*, const char*,
                                     size_t* upload_data_size, void** request_state) {
  // The first call comes with the headers only; a body (which /metrics never takes) is
  // discarded by answering right away.
  (void)upload_data_size;
  (void)request_state;
  return static_cast<MetricsServer*>(self)->answer(connection, url, method);
}

MHD_Result MetricsServer::answer(MHD_Connection* connection, std::string_view url,
                                 std::string_view method) {
  if (url != "/metrics")
    return respond(connection, MHD_HTTP_NOT_FOUND, "try /metrics\n", "text/plain");
  if (method != MHD_HTTP_METHOD_GET && method != MHD_HTTP_METHOD_HEAD)
    return respond(connection, MHD_HTTP_METHOD_NOT_ALLOWED, "GET or HEAD\n", "text/plain",
                   "GET, HEAD");
  ++scrapes_;
  try {
    return respond(connection, MHD_HTTP_OK, render_(), ExpositionWriter::kContentType);
  } catch (const std::exception& e) {  // a metric named wrongly: a bug, said so, not a crash
    logkv::error("metrics rendering failed", "error", e.what());
    return respond(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, "rendering failed\n", "text/plain");
  }
}

}  // namespace trunkgate::cp
