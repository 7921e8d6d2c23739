// agent.toml, read and checked before anything connects: an agent with a bad
// identity must refuse to start rather than listen on the wrong subjects.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/agent/config/maintenance_policy.h"
#include "core/agent/plugin_host/plugin_settings.h"
#include "core/common/metrics_config.h"
#include "core/common/nats_config.h"
#include "core/common/target_matcher.h"

namespace tend {

// How plugin code is isolated: every task runs in a fresh runner process
// (runner_pool.h) with these limits.
struct IsolationConfig {
  std::string runner_path;                   // default: tend-plugin-runner beside tend-agent
  uint64_t memory_limit_bytes = 1ULL << 30;  // address space; 0 = none
  uint64_t cpu_limit_s = 0;                  // CPU seconds; 0 = none
  uint64_t open_files_limit = 1024;
  std::chrono::milliseconds kill_grace{3000};  // SIGTERM, then SIGKILL after this
  uint64_t output_limit_bytes = 64 * 1024;     // stdout and stderr kept per task
  unsigned spare_runners = 2;                  // started ahead of need
  unsigned max_concurrent_per_plugin = 0;      // 0: only max_concurrent applies
};

struct AgentConfig {
  NodeIdentity identity;  // hostname defaults to the machine's short hostname
  NatsConfig nats;
  std::string plugin_dir = TEND_DEFAULT_PLUGIN_DIR;
  unsigned max_concurrent = 4;
  // Tasks that may wait for a free worker; one more is REJECTED at once.
  size_t max_queued = 1000;
  IsolationConfig isolation;
  SettingsByPlugin plugin_settings;  // [plugin.<name>] tables
  std::chrono::seconds heartbeat_interval{10};
  MetricsConfig metrics;          // [metrics]
  MaintenancePolicy maintenance;  // [maintenance]
  std::string log_level = "info";
};

Expected<AgentConfig> load_agent_config(const std::string& path);

// Same checks on a table already parsed (tests use this).
Expected<AgentConfig> read_agent_config(const toml::table& doc, const std::string& path);

}  // namespace tend
