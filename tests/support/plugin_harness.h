// Loads one plugin .so the way tend-plugin-runner does and runs its whole
// lifecycle in this process: params as a task gives them (JSON), settings as
// the operator writes them in agent.toml. What a test gets back is what the
// agent would put in the Result, without NATS or a runner process.
//
//   auto cleanup = PluginHarness::load(TEND_BUILTIN_PLUGIN_DIR "/disk-cleanup.so");
//   cleanup->set_settings(R"(log_dirs = ["/tmp/x/log"])");
//   auto outcome = cleanup->run(R"({"max_age": "7d"})", /*dry_run=*/true);
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "bus/expected.h"
#include "core/agent/plugin_host/plugin_call.h"
#include "core/agent/plugin_host/plugin_library.h"
#include "core/agent/plugin_host/plugin_settings.h"

namespace tend::testing {

class PluginHarness {
 public:
  static Expected<PluginHarness> load(const std::filesystem::path& path);

  // The body of the plugin's [plugin.<name>] table, in TOML. An error when it
  // does not read, exactly as the agent would refuse it.
  Expected<void> set_settings(std::string_view toml_body);

  // The params are validated first: an error here is what the agent would
  // report as REJECTED.
  Expected<PluginOutcome> run(std::string_view params_json, bool dry_run = false);

  // Raised while a hook runs, to stop it as a deadline would.
  std::atomic<bool>& cancel() { return *cancel_; }
  const tend_plugin& plugin() const { return library_->plugin(); }

 private:
  explicit PluginHarness(std::shared_ptr<PluginLibrary> library) : library_(std::move(library)) {}

  std::shared_ptr<PluginLibrary> library_;
  PluginSettings settings_;
  std::unique_ptr<std::atomic<bool>> cancel_ = std::make_unique<std::atomic<bool>>(false);
};

}  // namespace tend::testing
