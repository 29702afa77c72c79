// The running configuration of trunkgate-cp and the one way to change it: a file reload (SIGHUP,
// the management API) or an edit (the management API) becomes a new validated document, is
// checked against what a running gateway can take over (listeners, data-plane interfaces), and
// only then replaces the B2BUA's configuration for new calls. Calls in progress keep the
// configuration they started with (Call holds it), so nothing they use changes or dangles.
// Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "controlplane/b2bua/b2bua.h"
#include "controlplane/config/config_document.h"
#include "controlplane/media/media_interfaces.h"

namespace trunkgate::cp {

// Every trunk's media interface must be one the data plane has, with an address: false with the
// first one that is not, named, in `error`.
bool check_media_interfaces(const CpConfig& config, const MediaInterfaces& interfaces,
                            std::string& error);

class LiveConfig {
 public:
  // Runs after each applied change, with the new configuration (main rebuilds what is built from
  // the trunks: the OPTIONS keepalive monitor; and sets the log level).
  using Applied = std::function<void(const CpConfig&)>;

  // `path` is the file reload() reads; empty: the embedded default, which cannot be reloaded.
  LiveConfig(ConfigDocument document, std::string path, B2bua& b2bua,
             const MediaInterfaces& interfaces, Applied applied);

  const ConfigDocument& document() const { return document_; }
  const CpConfig& config() const { return *document_.config; }
  uint64_t generation() const { return generation_; }
  const std::string& path() const { return path_; }

  // Reads the file again; on success the new configuration is in force.
  EditResult reload();
  // Puts an edit (config_document.h) in force when it succeeded and the running gateway can take
  // it; returns it with the outcome.
  EditResult apply(EditResult edit);

 private:
  ConfigDocument document_;
  std::string path_;
  B2bua& b2bua_;
  const MediaInterfaces& interfaces_;
  Applied applied_;
  uint64_t generation_ = 1;
};

}  // namespace trunkgate::cp
