#include "controlplane/config/config_document.h"

#include "dataplane/config/yaml_reader.h"

namespace trunkgate::cp {
namespace {

constexpr const char* kApiSource = "api";

std::optional<ConfigDocument> from_root(YAML::Node root, const std::string& source,
                                        std::string& error) {
  auto config = parse_cp_config_tree(root, source, error);
  if (!config) return std::nullopt;
  return ConfigDocument{std::move(root), std::make_shared<const CpConfig>(std::move(*config))};
}

EditResult failed(EditError error, std::string message) {
  return EditResult{std::nullopt, error, std::move(message)};
}

EditResult validated(YAML::Node root) {
  std::string error;
  auto document = from_root(std::move(root), kApiSource, error);
  if (!document) return failed(EditError::kInvalid, error);
  return EditResult{std::move(document), EditError::kNone, {}};
}

// Index of the item named `name` in the document's `list` ("trunks" or "routes"), or -1.
long find_item(const YAML::Node& root, const char* list, const std::string& name) {
  const YAML::Node items = root[list];
  if (!items || !items.IsSequence()) return -1;
  for (size_t i = 0; i < items.size(); ++i) {
    const YAML::Node n = items[i]["name"];
    if (n && n.IsScalar() && n.Scalar() == name) return static_cast<long>(i);
  }
  return -1;
}

// The whole list rebuilt with item `skip` left out and `replacement` (if any) in its place or at
// the end: yaml-cpp sequences cannot remove an element in place.
YAML::Node rebuilt_list(const YAML::Node& items, long skip, const YAML::Node* replacement) {
  YAML::Node out(YAML::NodeType::Sequence);
  for (size_t i = 0; items && i < items.size(); ++i) {
    if (static_cast<long>(i) != skip)
      out.push_back(items[i]);
    else if (replacement != nullptr)
      out.push_back(*replacement);
  }
  if (replacement != nullptr && skip < 0) out.push_back(*replacement);
  return out;
}

// A new top-level mapping sharing every value with `root`. Edits replace one list in the copy and
// never modify a shared node, so `root` stays as it was. (YAML::Clone would turn the missing
// positions of nodes built in memory into 1:1, and errors would point at nothing.)
YAML::Node shallow_copy(const YAML::Node& root) {
  YAML::Node copy(YAML::NodeType::Map);
  for (const auto& kv : root) copy[kv.first.Scalar()] = kv.second;
  return copy;
}

EditResult put_item(const ConfigDocument& current, const char* list, const char* what,
                    const YAML::Node& item, PutMode mode) {
  if (!item.IsMap())
    return failed(EditError::kInvalid,
                  std::string(kApiSource) + ": the " + what + " must be a mapping");
  const YAML::Node name = item["name"];
  if (!name || !name.IsScalar() || name.Scalar().empty())
    return failed(EditError::kInvalid,
                  std::string(kApiSource) + ": name: every " + what + " needs a name");
  const long at = find_item(current.root, list, name.Scalar());
  if (mode == PutMode::kCreate && at >= 0)
    return failed(EditError::kAlreadyExists,
                  std::string(what) + " '" + name.Scalar() + "' exists (update it instead)");
  if (mode == PutMode::kUpdate && at < 0)
    return failed(EditError::kNotFound,
                  std::string("no ") + what + " named '" + name.Scalar() + "'");
  YAML::Node root = shallow_copy(current.root);
  root[list] = rebuilt_list(current.root[list], at, &item);
  return validated(std::move(root));
}

EditResult delete_item(const ConfigDocument& current, const char* list, const char* what,
                       const std::string& name) {
  const long at = find_item(current.root, list, name);
  if (at < 0)
    return failed(EditError::kNotFound, std::string("no ") + what + " named '" + name + "'");
  YAML::Node root = shallow_copy(current.root);
  root[list] = rebuilt_list(current.root[list], at, nullptr);
  return validated(std::move(root));
}

}  // namespace

std::optional<ConfigDocument> parse_config_document(const std::string& yaml_text,
                                                    const std::string& source, std::string& error) {
  // parse_document reports YAML syntax errors with their position; the tree it walked is
  // loaded again here (cheap: configurations are small) so the document keeps it.
  if (!parse_cp_config(yaml_text, source, error)) return std::nullopt;
  return from_root(YAML::Load(yaml_text), source, error);
}

std::optional<ConfigDocument> load_config_document(const std::string& path, std::string& error) {
  std::string text;
  if (!config::read_file(path, text, error)) return std::nullopt;
  return parse_config_document(text, path, error);
}

EditResult put_trunk(const ConfigDocument& current, const std::string& item_yaml, PutMode mode) {
  YAML::Node item;
  try {
    item = YAML::Load(item_yaml);
  } catch (const YAML::Exception& e) {
    return failed(EditError::kInvalid, std::string(kApiSource) + ":" +
                                           std::to_string(e.mark.line + 1) + ":" +
                                           std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  return put_item(current, "trunks", "trunk", item, mode);
}

EditResult put_route(const ConfigDocument& current, const YAML::Node& route, PutMode mode) {
  return put_item(current, "routes", "route", route, mode);
}

EditResult delete_trunk(const ConfigDocument& current, const std::string& name) {
  return delete_item(current, "trunks", "trunk", name);
}

EditResult delete_route(const ConfigDocument& current, const std::string& name) {
  return delete_item(current, "routes", "route", name);
}

bool reloadable(const CpConfig& running, const CpConfig& next, std::string& error) {
  auto listen_text = [](const CpConfig& c) {
    std::string s;
    for (const ListenAddress& l : c.listen)
      s += std::to_string(static_cast<int>(l.transport)) + " " + l.address + " " +
           std::to_string(l.port) + " " + l.certificate + " " + l.private_key + " " + l.ca + " " +
           (l.require_client_certificate ? "1" : "0") + "\n";
    return s;
  };
  auto management_text = [](const CpConfig& c) {
    const ManagementConfig& m = c.management;
    return m.socket_path(c.dataplane_instance) + " " + m.tcp_address + " " +
           std::to_string(m.tcp_port) + " " + m.certificate + " " + m.private_key + " " +
           m.client_ca + (m.insecure_tcp ? " insecure" : "");
  };
  auto metrics_text = [](const CpConfig& c) {
    return c.metrics ? c.metrics->address + " " + std::to_string(c.metrics->port) : "";
  };
  if (next.dataplane_instance != running.dataplane_instance)
    error = "dataplane.instance: changes need a restart of trunkgate-cp";
  else if (listen_text(next) != listen_text(running))
    error = "listen: changing the SIP listeners needs a restart of trunkgate-cp";
  else if (next.cdr_path != running.cdr_path)
    error = "cdr.path: changes need a restart of trunkgate-cp";
  else if (management_text(next) != management_text(running))
    error = "management: changes need a restart of trunkgate-cp";
  else if (metrics_text(next) != metrics_text(running))
    error = "metrics: changes need a restart of trunkgate-cp";
  else
    return true;
  return false;
}

}  // namespace trunkgate::cp
