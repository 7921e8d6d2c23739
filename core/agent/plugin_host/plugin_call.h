// Runs one task's plugin in this process, the whole lifecycle:
//   diagnose (if the plugin has it): NOTHING_TO_DO ends the run, succeeded;
//   a dry run ends here, succeeded, with what the plugin says would change;
//   remediate;
//   verify (if it has it): success sets `verified`; failure runs rollback
//   (if it has it) and fails with both reasons.
// The agent calls this only inside tend-plugin-runner, so that a plugin
// that crashes or hangs cannot take the agent with it.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "core/agent/plugin_host/plugin_host_api.h"
#include "core/agent/plugin_host/plugin_library.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "core/agent/plugin_host/plugin_settings.h"

namespace tend {

struct PluginOutcome {
  bool succeeded = false;
  bool verified = false;
  bool rolled_back = false;  // verify failed and rollback succeeded
  std::string summary;       // one human line, never empty
  std::string error;         // why it failed; empty on success
  std::map<std::string, std::string> outputs;
  std::map<std::string, double> figures;
  std::vector<PluginLogLine> log;
};

// Stops between hooks once `cancel` is true (the hooks see it too, through
// callback_cancelled) and reports where it stopped. `settings` is the
// plugin's [plugin.<name>] table from agent.toml.
PluginOutcome run_lifecycle(const PluginLibrary& library, PluginParams params,
                            const PluginSettings& settings, bool dry_run,
                            const std::atomic<bool>& cancel);

}  // namespace tend
