#include "controlplane/app/options.h"

#include <cstdlib>
#include <string_view>

namespace trunkgate::cp {

bool parse_options(int argc, char** argv, Options& options, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      options.help = true;
    } else if (arg == "--check-config") {
      options.check_only = true;
    } else if (arg == "--config") {
      if (!has_value) return error = "--config needs a file", false;
      options.config_path = argv[++i];
    } else if (arg == "--dataplane-wait") {
      if (!has_value) return error = "--dataplane-wait needs a number of seconds", false;
      char* end = nullptr;
      const unsigned long s = std::strtoul(argv[++i], &end, 10);
      if (*end != '\0' || s > 3600) return error = "--dataplane-wait: 0..3600 seconds", false;
      options.dataplane_wait_s = static_cast<unsigned>(s);
    } else {
      error = "unknown option '" + std::string(arg) + "'";
      return false;
    }
  }
  return true;
}

}  // namespace trunkgate::cp
