// trunkgate-dp: the DPDK data plane. Usage in `trunkgate-dp --help`.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstring>
#include <iostream>
#include <string>

#include "dataplane/app/config.h"
#include "dataplane/app/dataplane.h"

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop.store(true); }

const char* const kUsage =
    "usage: trunkgate-dp [--config FILE] [--workers N] [--cpus LIST] [--instance NAME]\n"
    "                    [--print-default-config] [--check-config]\n"
    "Without --config the embedded default (the demo topology of deploy/demo-netns.sh) is used.\n";

struct Options {
  std::string config_path;
  std::string workers;
  std::string cpus;
  std::string instance;
  bool print_default = false;
  bool check_only = false;
};

bool parse_args(int argc, char** argv, Options& o, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) {
        error = a + " needs a value";
        return false;
      }
      into = argv[++i];
      return true;
    };
    if (a == "--config") { if (!value(o.config_path)) return false; }
    else if (a == "--workers") { if (!value(o.workers)) return false; }
    else if (a == "--cpus") { if (!value(o.cpus)) return false; }
    else if (a == "--instance") { if (!value(o.instance)) return false; }
    else if (a == "--print-default-config") o.print_default = true;
    else if (a == "--check-config") o.check_only = true;
    else if (a == "--help" || a == "-h") { std::cout << kUsage; std::exit(0); }
    else {
      error = "unknown option '" + a + "'";
      return false;
    }
  }
  return true;
}

// Command-line values go through the same YAML validation as the file, so errors read the same.
bool apply_overrides(const Options& o, trunkgate::dp::DpConfig& c, std::string& error) {
  if (!o.workers.empty()) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(o.workers.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > trunkgate::channel::kMaxWorkers) {
      error = "--workers: '" + o.workers + "' must be 1.." +
              std::to_string(trunkgate::channel::kMaxWorkers);
      return false;
    }
    c.workers = static_cast<unsigned>(n);
  }
  if (!o.cpus.empty() && !trunkgate::dp::parse_cpu_list(o.cpus, c.cpus)) {
    error = "--cpus: '" + o.cpus + "' is not a CPU list like 0-2,4";
    return false;
  }
  if (!o.instance.empty()) {
    if (!trunkgate::channel::Region::valid_instance_name(o.instance)) {
      error = "--instance: must be 1-31 characters of [A-Za-z0-9_-]";
      return false;
    }
    c.instance = o.instance;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e trunkgate-dp %l: %v");
  Options opts;
  std::string error;
  if (!parse_args(argc, argv, opts, error)) {
    std::cerr << "trunkgate-dp: " << error << "\n" << kUsage;
    return 2;
  }
  if (opts.print_default) {
    std::cout << trunkgate::dp::kEmbeddedDefaultConfig;
    return 0;
  }
  auto config = opts.config_path.empty()
                    ? trunkgate::dp::parse_config(trunkgate::dp::kEmbeddedDefaultConfig,
                                                  "embedded default", error)
                    : trunkgate::dp::load_config_file(opts.config_path, error);
  if (!config || !apply_overrides(opts, *config, error)) {
    std::cerr << "trunkgate-dp: configuration error: " << error << "\n";
    return 2;
  }
  if (opts.check_only) {
    std::cout << config->source << ": OK\n";
    return 0;
  }
  spdlog::info("configuration: {} ({} interface(s), {} worker(s))", config->source,
               config->interfaces.size(), config->workers);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  trunkgate::dp::Dataplane dp;
  if (!dp.start(*config, error)) {
    spdlog::error("{}", error);
    dp.shutdown();
    return 1;
  }
  dp.run(g_stop);
  spdlog::info("stopping: draining workers and releasing ports");
  dp.shutdown();
  spdlog::info("stopped");
  return 0;
}
