// The configuration a running gateway uses, with the YAML document it came from. Every change,
// a file reload or an edit through the management API, produces a whole new document that goes
// through the same validation as a file (parse_cp_config_tree): a change that fails validation
// changes nothing, and the API and the file apply the same rules.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>

#include "controlplane/config/cp_config.h"

namespace trunkgate::cp {

struct ConfigDocument {
  YAML::Node root;  // never modified once built: edits share its nodes in a new root
  std::shared_ptr<const CpConfig> config;  // parsed from `root`
};

// Why an edit was refused, for the API's status code.
enum class EditError { kNone, kInvalid, kNotFound, kAlreadyExists };

struct EditResult {
  std::optional<ConfigDocument> document;  // set on success
  EditError error = EditError::kNone;
  std::string message;  // names the field and the reason
};

std::optional<ConfigDocument> load_config_document(const std::string& path, std::string& error);
std::optional<ConfigDocument> parse_config_document(const std::string& yaml_text,
                                                    const std::string& source, std::string& error);

enum class PutMode { kCreate, kUpdate };

// Adds (kCreate) or replaces (kUpdate) the trunk named in `item_yaml`, a YAML or JSON mapping with
// the configuration file's keys for one trunk; errors point into that text ("api:LINE:COLUMN").
EditResult put_trunk(const ConfigDocument& current, const std::string& item_yaml, PutMode mode);
// The same for a route given as a mapping built in memory (from the API's fields): its errors
// carry no position ("api: route 'x': ...").
EditResult put_route(const ConfigDocument& current, const YAML::Node& route, PutMode mode);
EditResult delete_trunk(const ConfigDocument& current, const std::string& name);
EditResult delete_route(const ConfigDocument& current, const std::string& name);

// What a running trunkgate-cp cannot take over without a restart (listeners, data-plane
// instance, CDR file, management sockets): false with the first such difference named.
bool reloadable(const CpConfig& running, const CpConfig& next, std::string& error);

}  // namespace trunkgate::cp
