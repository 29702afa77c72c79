#include "dataplane/config/yaml_reader.h"

#include <fstream>
#include <sstream>

namespace trunkgate::config {

void fail(const YAML::Node& node, const std::string& what) {
  const YAML::Mark m = node.Mark();
  // Nodes built in memory (an edit made through the management API) have no position.
  if (m.is_null()) throw YamlError{" " + what};
  throw YamlError{std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": " + what};
}

void check_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                const std::string& where) {
  if (!map.IsMap()) fail(map, where + ": expected a mapping");
  for (const auto& kv : map)
    if (!allowed.count(kv.first.Scalar()))
      fail(kv.first, where + ": unknown key '" + kv.first.Scalar() + "'");
}

std::string text(const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) fail(node, key + ": expected a single value");
  return node.Scalar();
}

unsigned number(const YAML::Node& node, const std::string& key, unsigned min, unsigned max) {
  const std::string s = text(node, key);
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || s[0] == '-') fail(node, key + ": '" + s + "' is not a whole number");
  if (v < min || v > max)
    fail(node, key + ": " + s + " is outside " + std::to_string(min) + ".." + std::to_string(max));
  return static_cast<unsigned>(v);
}

unsigned prefix_length(const YAML::Node& node, const std::string& key, const std::string& spec,
                       size_t slash, unsigned max_bits) {
  char* end = nullptr;
  const unsigned long len = std::strtoul(spec.c_str() + slash + 1, &end, 10);
  if (*end != '\0' || slash + 1 == spec.size() || len > max_bits)
    fail(node, key + ": prefix length of '" + spec + "' must be 0.." + std::to_string(max_bits));
  return static_cast<unsigned>(len);
}

bool read_file(const std::string& path, std::string& contents, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot read the configuration file";
    return false;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  contents = buf.str();
  return true;
}

}  // namespace trunkgate::config
