// tend-coordinator: turns submitted tasks into one summary per task.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "core/common/logging.h"
#include "core/common/signals.h"
#include "core/coordinator/coordinator.h"

namespace {

constexpr auto kDrainTimeout = std::chrono::seconds(5);

int fail(const std::string& message) {
  std::cerr << "tend-coordinator: " << message << "\n";
  return 1;
}

int serve(const tend::CoordinatorConfig& config) {
  tend::NatsLibrary nats_library;
  auto conn = tend::Connection::connect(
      tend::connection_options(config.nats, "tend-coordinator", /*retry_initial_connect=*/true));
  if (!conn) return fail(conn.error().message);

  tend::NoTaskStore store;
  tend::Coordinator coordinator(config, **conn, store);
  if (auto ok = coordinator.start(); !ok) return fail(ok.error().message);
  for (;;) {
    int sig = tend::wait_for_control_signal();
    if (sig != SIGHUP) {
      spdlog::info("{}: answering tasks in flight, then stopping",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      break;
    }
    spdlog::info("SIGHUP: nothing to reload; restart to read a changed config");
  }
  coordinator.stop();
  (*conn)->drain(kDrainTimeout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so that only sigwait ever sees these signals.
  tend::block_control_signals();
  CLI::App app{"tend-coordinator: dispatches tasks to the fleet and answers with one summary"};
  std::string config_path, log_level;
  app.add_option("--config", config_path, "coordinator TOML file (e.g. /etc/tend/coordinator.toml)")
      ->required();
  app.add_option("--log-level", log_level,
                 "trace, debug, info, warn, error or off (overrides [log] level)");
  CLI11_PARSE(app, argc, argv);
  tend::init_logging("tend-coordinator");

  std::error_code ec;
  if (!std::filesystem::is_regular_file(config_path, ec)) {
    return fail(config_path + ": no such config file");
  }
  auto config = tend::load_coordinator_config(config_path);
  if (!config) return fail(config.error().message);
  if (auto ok = tend::set_log_level(log_level.empty() ? config->log_level : log_level); !ok) {
    return fail(ok.error().message);
  }
  for (const auto& warning : config->warnings) spdlog::warn("{}", warning);
  return serve(*config);
}
