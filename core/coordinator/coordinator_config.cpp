#include "core/coordinator/coordinator_config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "bus/names.h"
#include "core/common/toml_bounds.h"
#include "core/common/toml_reader.h"

namespace tend {
namespace {

// Every section of coordinator.toml and the keys its reader reads: any
// other key is refused, because it is nearly always a typo.
const std::vector<TomlSection>& known_sections() {
  static const std::vector<TomlSection> sections = [] {
    std::vector<TomlSection> known{
        {"coordinator", {"name"}},
        nats_section(),
        {"tasks", {"default_timeout_s", "grace_s", "ack_timeout_ms"}},
        {"database", {"url"}},
        {"http",
         {"listen", "max_connections", "max_connections_per_client", "request_timeout",
          "keep_alive_timeout", "keep_alive_max_requests"}},
        {"limits", {"max_in_flight", "max_nodes", "max_queued_events", "max_queued_bytes"}},
        metrics_section(),
        {"log", {"level"}},
        {"schedules", {"enabled", "file", "poll_ms", "max_missed", "settle_ms"}},
        {"reports",
         {"daily", "daily_at", "timezone", "daily_dir", "minutes_per_fix",
          "minutes_per_maintained_host"}},
    };
    const auto& alerts = alerts::alerts_sections();
    known.insert(known.end(), alerts.begin(), alerts.end());
    return known;
  }();
  return sections;
}

Error in_file(const std::string& path, const std::string& problem) {
  return make_error(fmt::format("{}: {}", path, problem));
}

Expected<TaskSettings> read_task_settings(const toml::table& doc, const std::string& path) {
  const auto section = TomlReader::section(doc, "tasks", path);
  TaskSettings tasks;
  auto timeout = section.whole("default_timeout_s", tasks.default_timeout.count(), 1, 86400);
  if (!timeout) return timeout.error();
  tasks.default_timeout = std::chrono::seconds(*timeout);
  auto grace = section.whole("grace_s", tasks.grace.count(), 0, 3600);
  if (!grace) return grace.error();
  tasks.grace = std::chrono::seconds(*grace);
  auto ack = section.whole("ack_timeout_ms", tasks.ack_timeout.count(), 10, 600000);
  if (!ack) return ack.error();
  tasks.ack_timeout = std::chrono::milliseconds(*ack);
  return tasks;
}

Expected<std::string> read_log_level(const toml::table& doc, const std::string& path) {
  static constexpr std::array<std::string_view, 6> kLevels{"trace", "debug", "info",
                                                           "warn",  "error", "off"};
  const auto section = TomlReader::section(doc, "log", path);
  auto level = section.text("level", "info");
  if (!level) return level.error();
  if (std::find(kLevels.begin(), kLevels.end(), *level) == kLevels.end()) {
    return section.fail_at(section.node("level"), fmt::format("[log] level '{}' is not one of {}",
                                                              *level, fmt::join(kLevels, ", ")));
  }
  return level;
}

// The webhook is the way into automatic fixes: open to the network only with
// a token, and only when there is a store for what the loop must remember.
Expected<void> check_alert_loop(const CoordinatorConfig& config, const std::string& path) {
  if (!config.http_listen.empty()) {
    auto address = alerts::parse_listen_address(config.http_listen);
    if (!address) return in_file(path, address.error().message);
    if (!address->loopback() && config.alerts.webhook_token.empty()) {
      return in_file(path, fmt::format("[http] listen {} is reachable from other machines: set "
                                       "[alerts] webhook_token (or webhook_token_file) so only "
                                       "Alertmanager can send alerts, or listen on 127.0.0.1",
                                       config.http_listen));
    }
  }
  if (config.alerts.enabled() && config.database_url.empty()) {
    return in_file(path,
                   "[alerts] routes needs [database] url: the knowledge base, approvals, "
                   "breakers and incidents live in PostgreSQL");
  }
  return {};
}

}  // namespace

Expected<CoordinatorConfig> read_coordinator_config(const toml::table& doc,
                                                    const std::string& path) {
  if (auto ok = check_toml_bounds(doc, path, kCoordinatorFileBounds); !ok) return ok.error();
  if (auto ok = refuse_unknown_entries(doc, known_sections(), path); !ok) return ok.error();
  CoordinatorConfig config;

  auto nats = read_nats_config(doc, path);
  if (!nats) return nats.error();
  config.nats = *nats;

  auto tasks = read_task_settings(doc, path);
  if (!tasks) return tasks.error();
  config.tasks = *tasks;

  const auto coordinator = TomlReader::section(doc, "coordinator", path);
  auto name = coordinator.text("name", "");
  if (!name) return name.error();
  config.name = *name;
  if (!config.name.empty()) {
    if (auto ok = check_name("[coordinator] name", config.name); !ok) {
      return coordinator.fail_at(coordinator.node("name"), ok.error().message);
    }
  }

  auto url = TomlReader::section(doc, "database", path).text("url", "");
  if (!url) return url.error();
  config.database_url = *url;

  auto listen = TomlReader::section(doc, "http", path).text("listen", "");
  if (!listen) return listen.error();
  config.http_listen = *listen;
  auto http = read_http_limits(doc, path);
  if (!http) return http.error();
  config.http = *http;

  auto limits = read_limits(doc, path);
  if (!limits) return limits.error();
  config.limits = *limits;

  auto alerts = alerts::read_alerts_config(doc, path);
  if (!alerts) return alerts.error();
  config.alerts = std::move(*alerts);
  if (auto ok = check_alert_loop(config, path); !ok) return ok.error();

  auto metrics = read_metrics_config(doc, path);
  if (!metrics) return metrics.error();
  config.metrics = *metrics;

  auto level = read_log_level(doc, path);
  if (!level) return level.error();
  config.log_level = *level;

  auto schedules = read_schedules_config(doc, path);
  if (!schedules) return schedules.error();
  config.schedules = *schedules;

  auto reports = read_reports_config(doc, path);
  if (!reports) return reports.error();
  config.reports = *reports;
  return config;
}

Expected<CoordinatorConfig> load_coordinator_config(const std::string& path) {
  auto doc = parse_toml_file(path);
  if (!doc) return doc.error();
  return read_coordinator_config(*doc, path);
}

}  // namespace tend
