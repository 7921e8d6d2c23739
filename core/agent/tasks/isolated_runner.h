// Runs every task in a runner process of its own (see RunnerPool)
// and turns however that process ended into one Result: a crash becomes
// CRASHED with the signal's name, a hang past the deadline TIMED_OUT, a
// memory limit FAILED or CRASHED saying so. The agent itself never runs
// plugin code; it only reads plugin descriptions from the catalog.
#pragma once

#include <mutex>

#include "core/agent/config/agent_config.h"
#include "core/agent/plugin_host/plugin_catalog.h"
#include "core/agent/runner/runner_pool.h"
#include "core/agent/tasks/task_runner.h"

namespace tend {

class IsolatedRunner : public TaskRunner {
 public:
  IsolatedRunner(const PluginCatalog& catalog, RunnerPool& pool, IsolationConfig config,
                 SettingsByPlugin settings = {});

  // Replaces every plugin's settings (a reload); tasks already running keep
  // the ones they started with.
  void set_settings(SettingsByPlugin settings);

  std::string admit(const tend::Task& task) const override;
  tend::Result run(const tend::Task& task, const std::atomic<bool>& cancel) override;
  std::vector<tend::PluginInfo> plugins() const override;

 private:
  tend::Result describe(const tend::Task& task, const RunnerOutcome& outcome) const;

  const PluginCatalog& catalog_;
  RunnerPool& pool_;
  IsolationConfig config_;
  mutable std::mutex settings_mu_;
  SettingsByPlugin settings_;
};

}  // namespace tend
