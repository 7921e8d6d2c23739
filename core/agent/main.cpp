// tend-agent: runs remediation plugins for this node when a task arrives.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <iostream>

#include "core/agent/agent.h"
#include "core/agent/plugin_host/plugin_catalog.h"
#include "core/agent/plugin_host/plugin_check.h"
#include "core/agent/tasks/isolated_runner.h"
#include "core/common/logging.h"
#include "core/common/signals.h"
#include "core/common/startup_pages.h"

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(10);

// Beside tend-agent in a build tree; under the library directory once installed.
std::string default_runner_path() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = self.parent_path() / "tend-plugin-runner";
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
  return TEND_DEFAULT_RUNNER_PATH;
}

// A reload re-reads the plugin directory and the [plugin.*] settings. A
// config file that no longer reads keeps the settings in force, and says why.
std::string reload(const std::string& config_path, const std::string& plugin_dir,
                   tend::PluginCatalog& catalog, tend::RunnerPool& pool,
                   tend::IsolatedRunner& runner) {
  std::string what = catalog.load_directory(plugin_dir);
  pool.set_plugins(catalog.paths());
  auto fresh = tend::load_agent_config(config_path);
  if (!fresh) {
    spdlog::error("plugin settings not reloaded: {}", fresh.error().message);
    return what + "; plugin settings kept (" + fresh.error().message + ")";
  }
  for (const auto& [name, settings] : fresh->plugin_settings) {
    if (!catalog.find(name)) spdlog::warn("[plugin.{}] is set but no such plugin is loaded", name);
  }
  runner.set_settings(std::move(fresh->plugin_settings));
  return what;
}

int serve(const std::string& config_path, tend::AgentConfig config) {
  if (auto ok = tend::set_log_level(config.log_level); !ok) {
    std::cerr << "tend-agent: " << ok.error().message << "\n";
    return 1;
  }
  if (config.isolation.runner_path.empty()) config.isolation.runner_path = default_runner_path();
  if (access(config.isolation.runner_path.c_str(), X_OK) != 0) {
    std::cerr << "tend-agent: plugin runner " << config.isolation.runner_path
              << " is missing or not executable (set [plugins] runner)\n";
    return 1;
  }

  // Torn down in reverse: connection drained and closed, nats.c released,
  // runners stopped, and only then the plugins unloaded.
  tend::PluginCatalog catalog(tend::describe_in_child(config.isolation.runner_path));
  spdlog::info("plugins: {}", catalog.load_directory(config.plugin_dir));
  tend::RunnerPool pool(config.isolation.runner_path, config.isolation.spare_runners);
  pool.set_plugins(catalog.paths());
  tend::IsolatedRunner runner(catalog, pool, config.isolation, config.plugin_settings);
  tend::NatsLibrary nats_library;
  // Set once the agent is listening; read on nats.c's thread after a reconnect.
  std::atomic<tend::Agent*> listening{nullptr};
  auto options = tend::connection_options(config.nats, "tend-agent " + config.identity.host,
                                          /*retry_initial_connect=*/true);
  options.on_reconnected = [&listening] {
    if (auto* agent = listening.load()) agent->announce();
  };
  auto conn = tend::Connection::connect(options);
  if (!conn) {
    std::cerr << "tend-agent: " << conn.error().message << "\n";
    return 1;
  }
  tend::Agent agent(config, **conn, runner,
                    [&] { return reload(config_path, config.plugin_dir, catalog, pool, runner); });
  if (auto ok = agent.start(); !ok) {
    std::cerr << "tend-agent: " << ok.error().message << "\n";
    return 1;
  }
  listening = &agent;
  // Everything has started: what start-up alone touched need not stay mapped.
  spdlog::debug("gave back {} KiB of start-up pages", tend::release_startup_pages() / 1024);

  for (;;) {
    int sig = tend::wait_for_control_signal();
    if (sig == SIGHUP) {
      spdlog::info("SIGHUP: reloaded plugins from {}: {}", config.plugin_dir, agent.reload());
      continue;
    }
    spdlog::info("{}: finishing running tasks (up to {} s), then stopping",
                 sig == SIGTERM ? "SIGTERM" : "SIGINT", kShutdownGrace.count());
    break;
  }
  listening = nullptr;
  agent.stop(kShutdownGrace);
  (*conn)->drain(std::chrono::seconds(5));
  conn->reset();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tend::block_control_signals();
  CLI::App app{"tend-agent: runs remediation plugins on this node when tasks arrive over NATS"};
  std::string config_path, check_path;
  app.add_option("--config", config_path, "agent TOML file");
  app.add_option("--check-plugin", check_path,
                 "validate a plugin .so, print its description and exit (0 ok, 1 not usable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help is not an error; anything else is usage
  }
  tend::init_logging("tend-agent");

  if (!check_path.empty()) return tend::check_plugin_file(check_path, std::cout, std::cerr);
  if (config_path.empty()) {
    std::cerr << "tend-agent: --config FILE is required (see /etc/tend/agent.toml)\n";
    return 2;
  }
  auto config = tend::load_agent_config(config_path);
  if (!config) {
    std::cerr << "tend-agent: " << config.error().message << "\n";
    return 1;
  }
  return serve(config_path, std::move(*config));
}
