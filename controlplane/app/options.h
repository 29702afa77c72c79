// trunkgate-cp's command line.
#pragma once

#include <string>

namespace trunkgate::cp {

struct Options {
  std::string config_path;  // empty: the embedded default
  bool check_only = false;  // validate the configuration and exit
  unsigned dataplane_wait_s = 30;
  bool help = false;
};

inline constexpr const char* kUsage =
    "usage: trunkgate-cp [--config FILE] [--check-config] [--dataplane-wait SECONDS]\n"
    "  --config FILE           YAML configuration (default: the embedded demo configuration)\n"
    "  --check-config          validate the configuration, print a summary and exit\n"
    "  --dataplane-wait S      how long to wait for trunkgate-dp's channel (default 30)\n";

// False with `error` on an unknown option or a missing/bad value.
bool parse_options(int argc, char** argv, Options& options, std::string& error);

}  // namespace trunkgate::cp
