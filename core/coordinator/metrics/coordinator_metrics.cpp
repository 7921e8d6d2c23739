#include "core/coordinator/metrics/coordinator_metrics.h"

#include "core/common/exposition_text.h"

namespace tend {

std::string_view task_outcome(const tend::Summary& summary) {
  if (summary.expected() == 0 && summary.responded() == 0) return "no_hosts";
  if (summary.failed() > 0) return "failed";
  if (!summary.complete()) return "incomplete";
  return "succeeded";
}

CoordinatorMetrics::CoordinatorMetrics(std::string version, double start_time_seconds)
    : version_(std::move(version)), start_time_(start_time_seconds) {
  // Every series from the start, so the first failure shows as an increase.
  for (TaskOrigin origin : kTaskOrigins) {
    for (std::string_view outcome : kTaskOutcomes) tasks_[{origin_name(origin), outcome}] = 0;
  }
  for (std::string_view bound : kRefusalBounds) refused_[bound] = 0;
}

void CoordinatorMetrics::task_finished(TaskOrigin origin, const tend::Summary& summary) {
  std::lock_guard lock(mu_);
  ++tasks_[{origin_name(origin), task_outcome(summary)}];
}

void CoordinatorMetrics::set_tasks_in_flight(size_t count) {
  std::lock_guard lock(mu_);
  in_flight_ = count;
}

void CoordinatorMetrics::set_nodes(size_t online, size_t offline) {
  std::lock_guard lock(mu_);
  online_ = online;
  offline_ = offline;
}

void CoordinatorMetrics::results_stored(uint64_t count) {
  std::lock_guard lock(mu_);
  results_stored_ += count;
}

void CoordinatorMetrics::store_lag(double seconds) {
  std::lock_guard lock(mu_);
  store_lag_ = seconds;
}

void CoordinatorMetrics::pending_approvals(size_t count) {
  std::lock_guard lock(mu_);
  pending_approvals_ = count;
}

void CoordinatorMetrics::refused(std::string_view bound) {
  std::lock_guard lock(mu_);
  if (auto it = refused_.find(bound); it != refused_.end()) ++it->second;
}

void CoordinatorMetrics::set_up(bool up) {
  std::lock_guard lock(mu_);
  up_ = up;
}

std::string CoordinatorMetrics::render() const {
  std::lock_guard lock(mu_);
  ExpositionText out;
  out.family("tend_coordinator_info", MetricType::kGauge,
             "This tend-coordinator; the value is always 1.");
  out.sample("tend_coordinator_info", {{"version", version_}}, 1);
  out.family("tend_coordinator_up", MetricType::kGauge,
             "1 while tend-coordinator runs; 0 once it stopped cleanly (a crash leaves 1 in a "
             "file that is no longer rewritten: see node_textfile_mtime_seconds).");
  out.sample("tend_coordinator_up", up_ ? 1 : 0);
  out.family("tend_coordinator_start_time_seconds", MetricType::kGauge,
             "When tend-coordinator started, in seconds since the epoch.");
  out.sample("tend_coordinator_start_time_seconds", start_time_);

  out.family("tend_coordinator_tasks_total", MetricType::kCounter,
             "Tasks the coordinator saw to the end, by origin (submit, direct, alert, schedule) "
             "and outcome (succeeded, failed, incomplete, no_hosts).");
  for (const auto& [key, count] : tasks_) {
    out.sample("tend_coordinator_tasks_total", {{"origin", key.first}, {"outcome", key.second}},
               static_cast<double>(count));
  }
  out.family("tend_coordinator_tasks_in_flight", MetricType::kGauge,
             "Tasks dispatched or followed and still waiting for results.");
  out.sample("tend_coordinator_tasks_in_flight", static_cast<double>(in_flight_));
  out.family("tend_coordinator_nodes", MetricType::kGauge,
             "Nodes by state: online (heartbeating), offline (silent for three heartbeat "
             "intervals, and for less than a day).");
  out.sample("tend_coordinator_nodes", {{"state", "online"}}, static_cast<double>(online_));
  out.sample("tend_coordinator_nodes", {{"state", "offline"}}, static_cast<double>(offline_));

  out.family("tend_coordinator_results_stored_total", MetricType::kCounter,
             "Results written to the result store.");
  out.sample("tend_coordinator_results_stored_total", static_cast<double>(results_stored_));
  out.family("tend_coordinator_store_lag_seconds", MetricType::kGauge,
             "How far the result store is behind the results agents published.");
  out.sample("tend_coordinator_store_lag_seconds", store_lag_);
  out.family("tend_coordinator_pending_approvals", MetricType::kGauge,
             "Tasks waiting for an operator to approve or deny them.");
  out.sample("tend_coordinator_pending_approvals", static_cast<double>(pending_approvals_));
  out.family("tend_coordinator_refused_total", MetricType::kCounter,
             "Messages and connections refused at a bound (README \"Limits\"): in_flight "
             "([limits] max_in_flight), event_queue (max_queued_events or max_queued_bytes), "
             "nodes (max_nodes), http_connections ([http] max_connections or "
             "max_connections_per_client).");
  for (const auto& [bound, count] : refused_) {
    out.sample("tend_coordinator_refused_total", {{"bound", bound}}, static_cast<double>(count));
  }
  return out.text();
}

}  // namespace tend
