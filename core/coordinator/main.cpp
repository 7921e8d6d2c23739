// tend-coordinator: turns submitted tasks into one summary per task, and
// keeps every task, result and audit entry in PostgreSQL.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/common/logging.h"
#include "core/common/signals.h"
#include "core/coordinator/alerts/route_table.h"
#include "core/coordinator/schedules/schedule_definition.h"
#include "core/coordinator/services.h"
#include "core/store/audit_entry.h"

namespace {

int fail(const std::string& message) {
  std::cerr << "tend-coordinator: " << message << "\n";
  return 1;
}

// SIGHUP: the alert routes, read again. A bad file keeps the routes in use:
// the loop never runs without rules.
void reload_routes(tend::Services& services) {
  const std::string& name = services.name;
  auto audit = [&](const std::string& outcome) {
    services.store->audit(
        tend::store::audit_entry(name, "reload", name, "SIGHUP", {{"outcome", outcome}}));
  };
  if (!services.pipeline) {
    spdlog::info("SIGHUP: no routes to reload; restart to read a changed config");
    audit("nothing to reload");
    return;
  }
  const std::string& file = services.config.alerts.routes_file;
  auto reloaded = tend::alerts::load_routes(file);
  if (!reloaded) {
    spdlog::error("SIGHUP: routes not reloaded, the old ones stay in use: {}",
                  reloaded.error().message);
    audit("refused: " + reloaded.error().message);
    return;
  }
  spdlog::info("SIGHUP: {} route(s) reloaded from {}", reloaded->routes().size(), file);
  audit(std::to_string(reloaded->routes().size()) + " route(s)");
  services.pipeline->replace_routes(
      std::make_shared<const tend::alerts::RouteTable>(std::move(*reloaded)));
}

// Until SIGTERM or SIGINT; each SIGHUP meanwhile reloads the routes.
void wait_for_stop_signal(tend::Services& services) {
  for (;;) {
    int sig = tend::wait_for_control_signal();
    if (sig != SIGHUP) {
      spdlog::info("{}: answering tasks in flight, then stopping",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return;
    }
    reload_routes(services);
  }
}

int serve(const tend::CoordinatorConfig& config) {
  tend::Services services(config);
  auto built = services.build();
  if (!built) return fail(built.error().message);
  if (*built == tend::Services::Built::kStopped) return 0;  // stopped while waiting
  if (auto started = services.start(); !started) return fail(started.error().message);
  wait_for_stop_signal(services);
  services.stop();
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
  if (!config->schedules.file.empty()) {
    // A bad schedules.toml refuses to start, before anything connects.
    if (auto schedules = tend::load_schedules_file(config->schedules.file); !schedules) {
      return fail(schedules.error().message);
    }
  }
  return serve(*config);
}
