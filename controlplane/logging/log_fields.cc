#include "controlplane/logging/log_fields.h"

#include <cstdio>

namespace trunkgate::cp::logkv {
namespace {

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (unsigned char c : value)
    if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f) return true;
  return false;
}

}  // namespace

void configure(spdlog::level::level_enum level) {
  spdlog::set_pattern("ts=%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(level);
}

void append(std::string& line, std::string_view key, std::string_view value) {
  line.append(" ").append(key).append("=");
  if (!needs_quotes(value)) {
    line.append(value);
    return;
  }
  line.push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        line.append("\\\"");
        break;
      case '\\':
        line.append("\\\\");
        break;
      case '\n':
        line.append("\\n");
        break;
      case '\r':
        line.append("\\r");
        break;
      case '\t':
        line.append("\\t");
        break;
      default:
        if (c < ' ' || c == 0x7f) {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          line.append(hex);
        } else {
          line.push_back(static_cast<char>(c));
        }
    }
  }
  line.push_back('"');
}

}  // namespace trunkgate::cp::logkv
