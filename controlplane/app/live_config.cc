#include "controlplane/app/live_config.h"
#include "controlplane/logging/log_fields.h"

#include <spdlog/spdlog.h>

namespace trunkgate::cp {

bool check_media_interfaces(const CpConfig& config, const MediaInterfaces& interfaces,
                            std::string& error) {
  for (const Trunk& t : config.trunks) {
    const MediaInterface* m = interfaces.find(t.media_interface);
    if (m != nullptr && !m->addresses.empty()) continue;
    std::string known;
    for (const MediaInterface& i : interfaces.all()) known += (known.empty() ? "" : ", ") + i.name;
    error = config.source + ": trunk '" + t.name + "': media_interface '" + t.media_interface +
            "' is not a data-plane interface with an address (the data plane has: " + known + ")";
    return false;
  }
  return true;
}

LiveConfig::LiveConfig(ConfigDocument document, std::string path, B2bua& b2bua,
                       const MediaInterfaces& interfaces, Applied applied)
    : document_(std::move(document)),
      path_(std::move(path)),
      b2bua_(b2bua),
      interfaces_(interfaces),
      applied_(std::move(applied)) {}

EditResult LiveConfig::reload() {
  if (path_.empty())
    return EditResult{std::nullopt, EditError::kInvalid,
                      "trunkgate-cp runs the embedded configuration: there is no file to reload "
                      "(start it with --config FILE)"};
  std::string error;
  auto document = load_config_document(path_, error);
  return apply(document ? EditResult{std::move(document), EditError::kNone, {}}
                        : EditResult{std::nullopt, EditError::kInvalid, error});
}

EditResult LiveConfig::apply(EditResult edit) {
  if (!edit.document) {
    logkv::warn("configuration change refused, nothing changed", "error", edit.message);
    return edit;
  }
  const CpConfig& next = *edit.document->config;
  std::string error;
  if (!reloadable(config(), next, error) || !check_media_interfaces(next, interfaces_, error)) {
    logkv::warn("configuration change refused, nothing changed", "error", error);
    return EditResult{std::nullopt, EditError::kInvalid, error};
  }
  document_ = *edit.document;
  ++generation_;
  b2bua_.reconfigure(document_.config);
  if (applied_) applied_(next);
  logkv::info("configuration in force; calls in progress keep theirs", "config", next.source,
              "generation", generation_, "trunks", next.trunks.size(), "routes", next.routes.size(),
              "calls", b2bua_.active_calls());
  return edit;
}

}  // namespace trunkgate::cp
