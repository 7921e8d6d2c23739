// coordinator.toml, read and checked before anything connects: a coordinator
// with a bad value must refuse to start rather than run with a guess.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <string>

#include "bus/expected.h"
#include "core/common/metrics_config.h"
#include "core/common/nats_config.h"
#include "core/common/toml_bounds.h"
#include "core/coordinator/alerts/alerts_config.h"
#include "core/coordinator/limits_config.h"
#include "core/coordinator/reports/reports_config.h"
#include "core/coordinator/schedules/schedules_config.h"

namespace tend {

// How long the coordinator waits for the fleet, per task.
struct TaskSettings {
  std::chrono::seconds default_timeout{300};  // for tasks that give no timeout_s
  // Beyond the timeout, for results in flight. Longer than the agents'
  // [plugins] kill_grace (3 s), or a plugin that ignores SIGTERM is reported
  // "no result" instead of TIMED_OUT.
  std::chrono::seconds grace{5};
  // A node that has not acknowledged a task by then is reported unreachable.
  std::chrono::milliseconds ack_timeout{3000};
};

struct CoordinatorConfig {
  // Marks the tasks this coordinator follows, in the store; a restarted
  // coordinator picks its own up again by it. Default: the short hostname.
  std::string name;
  NatsConfig nats;
  TaskSettings tasks;
  std::string database_url;     // empty: no store (no history, audit trail or recovery)
  std::string http_listen;      // [http] listen: Alertmanager's webhook; "" = no HTTP
  HttpLimits http;              // [http]: connections, timeouts
  CoordinatorLimits limits;     // [limits]: tasks in flight, nodes, queues
  alerts::AlertsConfig alerts;  // [alerts] and the sections of the alert loop
  MetricsConfig metrics;        // [metrics]
  SchedulesConfig schedules;    // [schedules]
  ReportsConfig reports;        // [reports]
  std::string log_level = "info";
};

// Every string in coordinator.toml (URLs, paths, tokens) and every list
// (servers, Alertmanagers, notifiers): refused past these, naming file,
// line, key and limit.
inline constexpr TomlBounds kCoordinatorFileBounds{.max_string_bytes = 4096, .max_items = 100};

Expected<CoordinatorConfig> load_coordinator_config(const std::string& path);

// Same checks on a table already parsed (tests use this).
Expected<CoordinatorConfig> read_coordinator_config(const toml::table& doc,
                                                    const std::string& path);

}  // namespace tend
