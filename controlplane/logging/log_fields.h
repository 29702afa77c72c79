// trunkgate-cp's log lines are logfmt: `ts=<UTC> level=<level> msg="<what>" key=value ...`, one
// line per event, so that they can be grepped by key and read by any logfmt parser. Every line
// about a call carries `call=<id>`, the id its CDR has. Values are quoted when they need it and
// control characters are escaped: peers put arbitrary bytes in what gets logged (reason phrases,
// addresses), and a line break from a peer must not forge a log line.
#pragma once

#include <spdlog/spdlog.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace trunkgate::cp::logkv {

// Installs the logfmt pattern (timestamps in UTC, milliseconds) on the default logger.
void configure(spdlog::level::level_enum level);

// ` key=value`, the value quoted when empty or when it holds a space, '=', '"' or a control
// character (escaped as \n, \r, \t, \", \\ and \xHH).
void append(std::string& line, std::string_view key, std::string_view value);
void append(std::string& line, std::string_view key, std::integral auto value) {
  line.append(" ").append(key).append("=").append(std::to_string(value));
}

inline void append_all(std::string&) {}
template <typename Value, typename... Rest>
void append_all(std::string& line, std::string_view key, const Value& value, const Rest&... rest) {
  append(line, key, value);
  append_all(line, rest...);
}

// log(level, "what happened", "key1", value1, "key2", value2, ...): nothing is formatted when
// the level is off.
template <typename... Fields>
void log(spdlog::level::level_enum level, std::string_view msg, const Fields&... fields) {
  static_assert(sizeof...(Fields) % 2 == 0, "fields come as key, value pairs");
  if (!spdlog::should_log(level)) return;
  std::string line;
  line.reserve(96);
  append(line, "msg", msg);
  append_all(line, fields...);
  spdlog::log(level, "{}", std::string_view(line).substr(1));  // without the leading space
}

template <typename... Fields>
void debug(std::string_view msg, const Fields&... fields) {
  log(spdlog::level::debug, msg, fields...);
}
template <typename... Fields>
void info(std::string_view msg, const Fields&... fields) {
  log(spdlog::level::info, msg, fields...);
}
template <typename... Fields>
void warn(std::string_view msg, const Fields&... fields) {
  log(spdlog::level::warn, msg, fields...);
}
template <typename... Fields>
void error(std::string_view msg, const Fields&... fields) {
  log(spdlog::level::err, msg, fields...);
}

}  // namespace trunkgate::cp::logkv
