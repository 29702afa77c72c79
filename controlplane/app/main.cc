// trunkgate-cp: loads and validates the configuration, attaches to the data plane, opens the SIP
// listeners, the management socket and (when configured) /metrics, and runs the B2BUA on one
// event loop until SIGINT/SIGTERM, when it ends every call (BYE/CANCEL, flows removed, CDRs
// written), removes its registrations and exits. SIGHUP reloads the configuration file (see
// live_config.h).
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "controlplane/app/live_config.h"
#include "controlplane/app/options.h"
#include "controlplane/b2bua/b2bua.h"
#include "controlplane/logging/log_fields.h"
#include "controlplane/metrics/gateway_metrics.h"
#include "controlplane/metrics/metrics_server.h"
#include "controlplane/trunks/registration_client.h"
#include "controlplane/trunks/trunk_monitor.h"
#include "mgmt/server/mgmt_server.h"
#include "sip/transport/loop_task_queue.h"

namespace trunkgate::cp {
namespace {

// The data plane may still be starting (systemd starts both at once): wait for its region.
std::optional<channel::Client> attach(const CpConfig& config, unsigned wait_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
  std::string error;
  bool told = false;
  while (true) {
    if (auto client = channel::Client::attach(config.dataplane_instance, error)) return client;
    if (std::chrono::steady_clock::now() >= deadline) {
      logkv::error("cannot attach to the data plane", "instance", config.dataplane_instance,
                   "error", error);
      return std::nullopt;
    }
    if (!told)
      logkv::info("waiting for the data plane", "instance", config.dataplane_instance, "wait_s",
                  wait_s, "error", error);
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

int blocked_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int run(const Options& options) {
  std::string error;
  std::optional<ConfigDocument> document =
      options.config_path.empty()
          ? parse_config_document(kEmbeddedCpConfig, "embedded default", error)
          : load_config_document(options.config_path, error);
  if (!document) {
    std::fprintf(stderr, "trunkgate-cp: %s\n", error.c_str());
    return 2;
  }
  const std::shared_ptr<const CpConfig> config = document->config;
  logkv::configure(spdlog::level::from_str(config->log_level));
  if (options.check_only) {
    std::printf("%s: configuration is valid (%zu trunks, %zu routes)\n", config->source.c_str(),
                config->trunks.size(), config->routes.size());
    return 0;
  }
  std::optional<channel::Client> client = attach(*config, options.dataplane_wait_s);
  if (!client) return 1;
  const MediaInterfaces interfaces = MediaInterfaces::from(client->header());
  if (!check_media_interfaces(*config, interfaces, error)) {
    logkv::error("configuration does not fit the data plane", "error", error);
    return 2;
  }
  MediaPortAllocator ports(client->media_port_min(), client->media_port_max(), client->workers());
  FlowProgrammer flows(std::move(*client), std::chrono::milliseconds(config->program_timeout_ms));
  CdrWriter cdr(config->cdr_path);
  if (!cdr.ok()) {
    logkv::error("cannot open the CDR file", "error", cdr.error());
    return 1;
  }
  sip::EventLoop loop;
  B2bua b2bua(B2buaServices{
      config, nullptr, flows, ports, interfaces, cdr, [](const Trunk&) { return true; }, {}});
  std::unique_ptr<SipEndpoint> endpoint;
  try {
    endpoint = std::make_unique<SipEndpoint>(loop, config->listen, b2bua.transaction_user());
  } catch (const std::exception& e) {
    logkv::error("cannot open the SIP listeners", "error", e.what());
    return 1;
  }
  b2bua.services().sip = endpoint.get();
  // The keepalive monitor points into the configuration's trunks: a new one per configuration
  // (a reload resets the trunks' up/down state to up until their next OPTIONS round).
  std::unique_ptr<TrunkMonitor> monitor;
  auto monitor_trunks = [&](const CpConfig& c) {
    monitor =
        std::make_unique<TrunkMonitor>(*endpoint, c.trunks, [](const std::string& t, bool up) {
          if (up)
            logkv::info("trunk up", "trunk", t);
          else
            logkv::warn("trunk down (OPTIONS keepalive failed)", "trunk", t);
        });
    monitor->start();
  };
  monitor_trunks(*config);
  b2bua.services().trunk_up = [&monitor](const Trunk& t) { return monitor->is_up(t.name); };
  RegistrationClient registrations(
      *endpoint, config->trunks, [](const std::string& trunk, const RegistrationStatus& s) {
        if (s.state == RegistrationStatus::State::kFailed)
          logkv::warn("registration failed", "trunk", trunk, "reason", s.reason);
        else if (s.state == RegistrationStatus::State::kRegistered)
          logkv::info("registered", "trunk", trunk);
      });
  registrations.start();
  // Registrations follow the configuration trunkgate-cp started with (`config` keeps it alive):
  // a reload does not re-register.
  // A changed log.level applies on reload; an API edit (same level) keeps a level set at run time.
  std::string configured_level = config->log_level;
  LiveConfig live(std::move(*document), options.config_path, b2bua, interfaces,
                  [&](const CpConfig& c) {
                    monitor_trunks(c);
                    if (c.log_level == configured_level) return;
                    configured_level = c.log_level;
                    spdlog::set_level(spdlog::level::from_str(c.log_level));
                  });

  // Blocked before gRPC starts its threads, which inherit the mask: SIGHUP's default action on
  // one of them would end the process.
  const int signal_fd = blocked_signal_fd();
  sip::LoopTaskQueue tasks(loop);
  std::unique_ptr<mgmt::MgmtServer> management;
  try {
    management = std::make_unique<mgmt::MgmtServer>(
        config->management, config->dataplane_instance, tasks,
        mgmt::GatewayParts{
            loop, b2bua, flows, live,
            [&monitor](const std::string& t) { return monitor->is_up(t); },
            [&registrations](const std::string& t) { return registrations.status(t); }});
  } catch (const std::exception& e) {
    logkv::error("cannot serve the management API", "error", e.what());
    return 1;
  }
  // Each scrape reads the configuration and keepalive monitor in force at that moment.
  std::unique_ptr<MetricsServer> metrics;
  if (config->metrics) {
    try {
      metrics = std::make_unique<MetricsServer>(loop, *config->metrics, [&] {
        return render_metrics(MetricsSources{live.config(), b2bua, *endpoint, *monitor,
                                             registrations, flows.client(), cdr});
      });
    } catch (const std::exception& e) {
      logkv::error("cannot serve metrics", "error", e.what());
      return 1;
    }
  }

  bool stopping = false;
  loop.Watch(signal_fd, EPOLLIN, [&](uint32_t) {
    signalfd_siginfo info;
    while (::read(signal_fd, &info, sizeof(info)) == sizeof(info)) {
      if (info.ssi_signo == SIGHUP)
        live.reload();  // refusals are logged, nothing changes
      else
        stopping = true;
    }
  });
  logkv::info("trunkgate-cp running", "config", config->source, "trunks", config->trunks.size(),
              "routes", config->routes.size(), "dataplane", config->dataplane_instance, "workers",
              ports.workers());
  // The data plane's answers arrive on a ring, not a file descriptor: poll it between loop
  // iterations, briefly while commands are outstanding, at a relaxed pace otherwise.
  while (!stopping) {
    loop.RunOnce(flows.pending() ? std::chrono::microseconds(200) : std::chrono::milliseconds(5));
    flows.poll();
    b2bua.hostile_log().flush(std::chrono::steady_clock::now());
  }
  logkv::info("stopping", "calls", b2bua.active_calls());
  management->begin_shutdown();  // RPCs are still served while calls end
  b2bua.end_all("gateway shutting down");
  bool unregistered = false;
  registrations.stop([&] { unregistered = true; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((b2bua.active_calls() > 0 || !unregistered || flows.pending() > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    loop.RunOnce(std::chrono::milliseconds(1));
    flows.poll();
  }
  management.reset();
  tasks.close();
  loop.Unwatch(signal_fd);
  ::close(signal_fd);
  logkv::info("stopped", "calls_open", b2bua.active_calls(), "cdrs_written", cdr.written(),
              "cdrs_dropped", cdr.dropped());
  return 0;
}

}  // namespace
}  // namespace trunkgate::cp

int main(int argc, char** argv) {
  trunkgate::cp::Options options;
  std::string error;
  if (!trunkgate::cp::parse_options(argc, argv, options, error)) {
    std::fprintf(stderr, "trunkgate-cp: %s\n%s", error.c_str(), trunkgate::cp::kUsage);
    return 2;
  }
  if (options.help) {
    std::printf("%s", trunkgate::cp::kUsage);
    return 0;
  }
  return trunkgate::cp::run(options);
}
