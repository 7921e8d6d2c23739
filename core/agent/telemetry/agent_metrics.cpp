#include "core/agent/telemetry/agent_metrics.h"

#include <google/protobuf/util/time_util.h>

#include <array>
#include <chrono>
#include <string_view>

#include "core/common/exposition_text.h"

namespace tend {
namespace {

constexpr std::string_view kOther = "other";
constexpr std::string_view kUnknownService = "unknown";

// Prometheus spells label values in lower case; these are the Status names.
constexpr std::array<std::pair<tend::Status, std::string_view>, 5> kStatuses{{
    {tend::SUCCEEDED, "succeeded"},
    {tend::FAILED, "failed"},
    {tend::TIMED_OUT, "timed_out"},
    {tend::CRASHED, "crashed"},
    {tend::REJECTED, "rejected"},
}};

std::string_view status_label(tend::Status status) {
  for (const auto& [value, label] : kStatuses) {
    if (value == status) return label;
  }
  return "unknown";
}

double figure(const tend::Result& result, const std::string& name) {
  auto it = result.figures().find(name);
  return it == result.figures().end() ? 0.0 : it->second;
}

double finished_at_seconds(const tend::Result& result) {
  if (result.has_finished_at()) {
    return static_cast<double>(
               google::protobuf::util::TimeUtil::TimestampToNanoseconds(result.finished_at())) /
           1e9;
  }
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double>(now).count();
}

// The label value to count under: itself while there is room for it.
template <typename Map>
std::string bounded_label(const Map& seen, const std::string& value) {
  if (seen.contains(value) || seen.size() < AgentMetrics::kMaxLabelValues) return value;
  return std::string(kOther);
}

}  // namespace

const std::vector<double>& AgentMetrics::duration_buckets() {
  // Up to ten minutes: a task stopped at the default timeout (300 s) still
  // lands in a bucket of its own rather than in +Inf.
  static const std::vector<double> buckets{0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600};
  return buckets;
}

AgentMetrics::AgentMetrics(Identity identity, double start_time_seconds)
    : identity_(std::move(identity)), start_time_(start_time_seconds) {}

AgentMetrics::PluginSeries& AgentMetrics::plugin(const std::string& name) {
  auto [it, is_new] = plugins_.try_emplace(bounded_label(plugins_, name));
  if (is_new) {
    for (const auto& [status, label] : kStatuses) it->second.tasks_by_status[std::string(label)];
  }
  return it->second;
}

void AgentMetrics::record(const tend::Result& result) {
  std::lock_guard lock(mu_);
  PluginSeries& series = plugin(result.plugin());
  ++series.tasks_by_status[std::string(status_label(result.status()))];
  if (result.status() != tend::REJECTED) {
    series.duration.observe(static_cast<double>(result.duration_ms()) / 1000.0);
  }
  if (result.dry_run()) return;
  if (result.status() == tend::SUCCEEDED) series.last_success = finished_at_seconds(result);
  if (double bytes = figure(result, "bytes_reclaimed"); bytes > 0) {
    series.bytes_reclaimed = series.bytes_reclaimed.value_or(0) + bytes;
  }
  if (double restarted = figure(result, "services_restarted"); restarted > 0) {
    auto it = result.outputs().find("service");
    std::string service = it == result.outputs().end() || it->second.empty()
                              ? std::string(kUnknownService)
                              : it->second;
    services_restarted_[bounded_label(services_restarted_, service)] += restarted;
  }
}

void AgentMetrics::set_plugins(const std::vector<std::string>& names) {
  std::lock_guard lock(mu_);
  plugins_loaded_ = names.size();
  for (const auto& name : names) plugin(name);
}

void AgentMetrics::set_paused(bool paused) {
  std::lock_guard lock(mu_);
  paused_ = paused;
}

void AgentMetrics::set_tasks_running(unsigned running) {
  std::lock_guard lock(mu_);
  tasks_running_ = running;
}

void AgentMetrics::set_up(bool up) {
  std::lock_guard lock(mu_);
  up_ = up;
}

std::string AgentMetrics::render() const {
  std::lock_guard lock(mu_);
  ExpositionText out;
  out.family("tend_agent_info", MetricType::kGauge,
             "This node's tend-agent; the value is always 1.");
  out.sample("tend_agent_info",
             {{"host", identity_.host}, {"role", identity_.role}, {"version", identity_.version}},
             1);
  out.family("tend_agent_up", MetricType::kGauge,
             "1 while tend-agent runs; 0 once it stopped cleanly (a crash leaves 1 in a file that "
             "is no longer rewritten: see node_textfile_mtime_seconds).");
  out.sample("tend_agent_up", up_ ? 1 : 0);
  out.family("tend_agent_start_time_seconds", MetricType::kGauge,
             "When tend-agent started, in seconds since the epoch.");
  out.sample("tend_agent_start_time_seconds", start_time_);
  out.family("tend_agent_plugins_loaded", MetricType::kGauge, "Plugins the agent has loaded.");
  out.sample("tend_agent_plugins_loaded", static_cast<double>(plugins_loaded_));
  out.family("tend_agent_paused", MetricType::kGauge,
             "1 while an operator has paused the agent (it rejects new tasks), else 0.");
  out.sample("tend_agent_paused", paused_ ? 1 : 0);
  out.family("tend_agent_tasks_running", MetricType::kGauge, "Tasks running on this node now.");
  out.sample("tend_agent_tasks_running", tasks_running_);
  if (plugins_.empty()) return out.text();

  out.family("tend_agent_tasks_total", MetricType::kCounter,
             "Tasks finished on this node, by plugin and result status (succeeded, failed, "
             "timed_out, crashed, rejected).");
  for (const auto& [name, series] : plugins_) {
    for (const auto& [status, count] : series.tasks_by_status) {
      out.sample("tend_agent_tasks_total", {{"plugin", name}, {"status", status}},
                 static_cast<double>(count));
    }
  }
  out.family("tend_agent_task_duration_seconds", MetricType::kHistogram,
             "How long tasks ran on this node, by plugin (rejected tasks never ran).");
  for (const auto& [name, series] : plugins_) {
    series.duration.append_to(out, "tend_agent_task_duration_seconds", {{"plugin", name}});
  }

  bool any_success = false, any_bytes = false;
  for (const auto& [name, series] : plugins_) {
    any_success = any_success || series.last_success.has_value();
    any_bytes = any_bytes || series.bytes_reclaimed.has_value();
  }
  if (any_success) {
    out.family("tend_agent_last_success_timestamp_seconds", MetricType::kGauge,
               "When a task of this plugin last succeeded on this node (dry runs aside), in "
               "seconds since the epoch.");
    for (const auto& [name, series] : plugins_) {
      if (series.last_success) {
        out.sample("tend_agent_last_success_timestamp_seconds", {{"plugin", name}},
                   *series.last_success);
      }
    }
  }
  if (any_bytes) {
    out.family("tend_agent_bytes_reclaimed_total", MetricType::kCounter,
               "Bytes of disk space the plugin's tasks reclaimed on this node.");
    for (const auto& [name, series] : plugins_) {
      if (series.bytes_reclaimed) {
        out.sample("tend_agent_bytes_reclaimed_total", {{"plugin", name}}, *series.bytes_reclaimed);
      }
    }
  }
  if (!services_restarted_.empty()) {
    out.family("tend_agent_services_restarted_total", MetricType::kCounter,
               "Services that tasks restarted on this node, by service.");
    for (const auto& [service, count] : services_restarted_) {
      out.sample("tend_agent_services_restarted_total", {{"service", service}}, count);
    }
  }
  return out.text();
}

}  // namespace tend
