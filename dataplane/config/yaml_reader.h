// Reading YAML configuration with errors an operator can act on: "FILE:LINE:COLUMN: what is
// wrong". Shared by trunkgate-dp's configuration and the control plane's (it has no DPDK in it,
// like the channel API the control plane also links). A parser walks the document with these
// helpers; `fail` unwinds to parse_document, which turns it into the error string.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>

namespace trunkgate::config {

struct YamlError {
  std::string message;  // "LINE:COLUMN: what", or " what" for a node built in memory
};

[[noreturn]] void fail(const YAML::Node& node, const std::string& what);
void check_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                const std::string& where);
std::string text(const YAML::Node& node, const std::string& key);
unsigned number(const YAML::Node& node, const std::string& key, unsigned min, unsigned max);
// The prefix length after '/' in `spec` ("192.0.2.1/24"): 0..max_bits; fails at `node` otherwise.
unsigned prefix_length(const YAML::Node& node, const std::string& key, const std::string& spec,
                       size_t slash, unsigned max_bits);

// Runs `walk(root)` over a document already loaded (or built); any failure becomes
// "SOURCE:LINE:COLUMN: what".
template <typename T, typename Walk>
std::optional<T> walk_document(const YAML::Node& root, const std::string& source,
                               std::string& error, Walk walk) {
  try {
    return walk(root);
  } catch (const YamlError& e) {
    error = source + ":" + e.message;
  } catch (const YAML::Exception& e) {  // a conversion (as<bool>) that failed
    error = source + ":" +
            (e.mark.is_null() ? ""
                              : std::to_string(e.mark.line + 1) + ":" +
                                    std::to_string(e.mark.column + 1) + ":") +
            " " + e.msg;
  }
  return std::nullopt;
}

// Parses `yaml_text` and runs `walk(root)`; any failure becomes "SOURCE:LINE:COLUMN: what".
template <typename T, typename Walk>
std::optional<T> parse_document(const std::string& yaml_text, const std::string& source,
                                std::string& error, Walk walk) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    error = source + ":" + std::to_string(e.mark.line + 1) + ":" +
            std::to_string(e.mark.column + 1) + ": " + e.msg;
    return std::nullopt;
  }
  return walk_document<T>(root, source, error, walk);
}

// The whole file, or false with "PATH: cannot read the configuration file".
bool read_file(const std::string& path, std::string& contents, std::string& error);

}  // namespace trunkgate::config
