// What tend-agent tells Prometheus through node_exporter's textfile collector
// (tend_agent.prom): every finished task by plugin and status, how long tasks
// ran, each plugin's last success, bytes reclaimed, services restarted, and
// the agent's own state. Thread-safe: results come from executor and NATS
// threads while the exporter renders on its own.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/common/fixed_histogram.h"
#include "schemas/result.pb.h"

namespace tend {

class AgentMetrics {
 public:
  struct Identity {
    std::string host;
    std::string role;
    std::string version;
  };

  // Upper bounds of tend_agent_task_duration_seconds' buckets.
  static const std::vector<double>& duration_buckets();
  // At most this many plugin (and service) label values; any more are
  // counted as "other", so a stream of made-up plugin names cannot flood
  // Prometheus with series.
  static constexpr size_t kMaxLabelValues = 100;

  AgentMetrics(Identity identity, double start_time_seconds);

  // One task's outcome. Each status counts (rejected too, under the plugin
  // named in the task). Only tasks that ran count in the duration histogram.
  // A dry run changed nothing: it sets no last success and reclaims no bytes.
  // Figures read: `bytes_reclaimed`, and `services_restarted` with the
  // output `service` naming the service.
  void record(const tend::Result& result);

  // The plugins loaded now: their task counters start at 0 for every status,
  // so the first failure shows as an increase.
  void set_plugins(const std::vector<std::string>& names);
  void set_paused(bool paused);
  void set_tasks_running(unsigned running);
  // False once the agent has stopped: the file then says so (tend_agent_up 0).
  void set_up(bool up);

  // The whole file, in the text exposition format.
  std::string render() const;

 private:
  struct PluginSeries {
    std::map<std::string, uint64_t> tasks_by_status;
    FixedHistogram duration{duration_buckets()};
    std::optional<double> last_success;  // seconds since the epoch
    std::optional<double> bytes_reclaimed;
  };

  PluginSeries& plugin(const std::string& name);  // with mu_ held

  const Identity identity_;
  const double start_time_;

  mutable std::mutex mu_;
  std::map<std::string, PluginSeries> plugins_;
  std::map<std::string, double> services_restarted_;
  size_t plugins_loaded_ = 0;
  bool paused_ = false;
  unsigned tasks_running_ = 0;
  bool up_ = true;
};

}  // namespace tend
