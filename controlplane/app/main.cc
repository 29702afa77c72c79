// trunkgate-cp: loads and validates the configuration, attaches to the data plane, opens the SIP
// listeners and runs the B2BUA on one event loop until SIGINT/SIGTERM, when it ends every call
// (BYE/CANCEL, flows removed, CDRs written), removes its registrations and exits.
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "controlplane/app/options.h"
#include "controlplane/b2bua/b2bua.h"
#include "controlplane/logging/log_fields.h"
#include "controlplane/metrics/gateway_metrics.h"
#include "controlplane/metrics/metrics_server.h"
#include "controlplane/trunks/registration_client.h"
#include "controlplane/trunks/trunk_monitor.h"

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

// Every trunk's media interface must be one the data plane has, with an address.
bool check_interfaces(const CpConfig& config, const MediaInterfaces& interfaces) {
  bool ok = true;
  for (const Trunk& t : config.trunks) {
    const MediaInterface* m = interfaces.find(t.media_interface);
    if (m == nullptr || m->addresses.empty()) {
      std::string known;
      for (const MediaInterface& i : interfaces.all()) known += (known.empty() ? "" : ", ") + i.name;
      logkv::error("media_interface is not a data-plane interface with an address", "config",
                   config.source, "trunk", t.name, "media_interface", t.media_interface,
                   "dataplane_has", known);
      ok = false;
    }
  }
  return ok;
}

int blocked_signal_fd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int run(const Options& options) {
  std::string error;
  std::optional<CpConfig> config =
      options.config_path.empty()
          ? parse_cp_config(kEmbeddedCpConfig, "embedded default", error)
          : load_cp_config(options.config_path, error);
  if (!config) {
    std::fprintf(stderr, "trunkgate-cp: %s\n", error.c_str());
    return 2;
  }
  logkv::configure(spdlog::level::from_str(config->log_level));
  if (options.check_only) {
    std::printf("%s: configuration is valid (%zu trunks, %zu routes)\n", config->source.c_str(),
                config->trunks.size(), config->routes.size());
    return 0;
  }
  std::optional<channel::Client> client = attach(*config, options.dataplane_wait_s);
  if (!client) return 1;
  const MediaInterfaces interfaces = MediaInterfaces::from(client->header());
  if (!check_interfaces(*config, interfaces)) return 2;
  MediaPortAllocator ports(client->media_port_min(), client->media_port_max(), client->workers());
  FlowProgrammer flows(std::move(*client), std::chrono::milliseconds(config->program_timeout_ms));
  CdrWriter cdr(config->cdr_path);
  if (!cdr.ok()) {
    logkv::error("cannot open the CDR file", "error", cdr.error());
    return 1;
  }
  InboundClassifier classifier(config->trunks);
  InboundAuthenticator authenticator(config->trunks, InboundAuthConfig{});

  sip::EventLoop loop;
  B2bua b2bua(B2buaServices{*config, nullptr, flows, ports, interfaces, cdr,
                            [](const Trunk&) { return true; }, classifier, authenticator});
  std::unique_ptr<SipEndpoint> endpoint;
  try {
    endpoint = std::make_unique<SipEndpoint>(loop, config->listen, b2bua.transaction_user());
  } catch (const std::exception& e) {
    logkv::error("cannot open the SIP listeners", "error", e.what());
    return 1;
  }
  b2bua.services().sip = endpoint.get();
  TrunkMonitor monitor(*endpoint, config->trunks, [](const std::string& trunk, bool up) {
    if (up)
      logkv::info("trunk up", "trunk", trunk);
    else
      logkv::warn("trunk down (OPTIONS keepalive failed)", "trunk", trunk);
  });
  b2bua.services().trunk_up = [&monitor](const Trunk& t) { return monitor.is_up(t.name); };
  RegistrationClient registrations(
      *endpoint, config->trunks, [](const std::string& trunk, const RegistrationStatus& s) {
        if (s.state == RegistrationStatus::State::kFailed)
          logkv::warn("registration failed", "trunk", trunk, "reason", s.reason);
        else if (s.state == RegistrationStatus::State::kRegistered)
          logkv::info("registered", "trunk", trunk);
      });
  monitor.start();
  registrations.start();
  std::unique_ptr<MetricsServer> metrics;
  if (config->metrics) {
    const MetricsSources sources{*config,       b2bua,          *endpoint, monitor,
                                 registrations, flows.client(), cdr};
    try {
      metrics = std::make_unique<MetricsServer>(loop, *config->metrics,
                                                [sources] { return render_metrics(sources); });
    } catch (const std::exception& e) {
      logkv::error("cannot serve metrics", "error", e.what());
      return 1;
    }
  }

  bool stopping = false;
  const int signal_fd = blocked_signal_fd();
  loop.Watch(signal_fd, EPOLLIN, [&](uint32_t) {
    signalfd_siginfo info;
    while (::read(signal_fd, &info, sizeof(info)) == sizeof(info)) stopping = true;
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
  b2bua.end_all("gateway shutting down");
  bool unregistered = false;
  registrations.stop([&] { unregistered = true; });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((b2bua.active_calls() > 0 || !unregistered || flows.pending() > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    loop.RunOnce(std::chrono::milliseconds(1));
    flows.poll();
  }
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
