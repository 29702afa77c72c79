// The /metrics HTTP endpoint (libmicrohttpd) on trunkgate-cp's event loop. MHD runs without a
// thread of its own (external polling with epoll): its epoll descriptor is watched by the loop,
// and MHD_run() is called when it is readable or when MHD's own timeout (idle connections) is
// due. So a scrape is served on the loop thread, reads the B2BUA's state directly, and nothing is
// shared between threads. Rendering walks the counters once (trunks x status codes seen, workers
// x drop reasons) and the socket I/O is non-blocking, so a slow scraper never holds up SIP.
//
// GET and HEAD of /metrics answer 200 with the text format; other paths 404, other methods 405.
// Connections are bounded in number, per client address, in memory and in idle time.
#pragma once

#include <microhttpd.h>

#include <cstdint>
#include <functional>
#include <string>

#include "controlplane/metrics/metrics_listen.h"
#include "sip/transport/event_loop.h"

namespace trunkgate::cp {

class MetricsServer {
 public:
  // Returns the exposition text; runs on the loop thread for every scrape.
  using Render = std::function<std::string()>;

  // Listens at once. Throws std::runtime_error naming the address when it cannot.
  MetricsServer(sip::EventLoop& loop, const MetricsListen& listen, Render render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  uint64_t scrapes() const { return scrapes_; }

 private:
  static MHD_Result on_request(void* self, MHD_Connection* connection, const char* url,
                               const char* method, const char* version, const char* upload_data,
                               size_t* upload_data_size, void** request_state);
  MHD_Result answer(MHD_Connection* connection, std::string_view url, std::string_view method);
  // MHD_run(), then a timer for MHD's next deadline (idle connections, pending work).
  void run();

  sip::EventLoop& loop_;
  Render render_;
  MHD_Daemon* daemon_ = nullptr;
  int epoll_fd_ = -1;
  sip::TimerId timer_ = 0;
  uint64_t scrapes_ = 0;
};

}  // namespace trunkgate::cp
