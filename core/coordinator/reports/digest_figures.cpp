#include "core/coordinator/reports/digest_figures.h"

#include <fmt/format.h>

#include "core/common/wall_time.h"
#include "core/store/copy_text.h"

namespace tend {
namespace {

constexpr int kTopPatterns = 5;

store::PgParams span(std::chrono::sys_seconds from, std::chrono::sys_seconds to) {
  return {store::timestamp_text(micros(from)), store::timestamp_text(micros(to))};
}

uint32_t as_count(const store::PgRows& rows, int column) {
  return rows.empty() || rows.is_null(0, column) ? 0
                                                 : static_cast<uint32_t>(rows.get_int(0, column));
}

}  // namespace

Expected<tend::DailyDigest> gather_digest_figures(store::PgConnection& conn,
                                                  std::chrono::sys_seconds from,
                                                  std::chrono::sys_seconds to) {
  tend::DailyDigest d;
  *d.mutable_from() = to_timestamp(from);
  *d.mutable_to() = to_timestamp(to);
  const auto params = span(from, to);

  auto tasks = conn.query(
      "SELECT count(*), "
      "count(*) FILTER (WHERE origin = 'alert'), "
      "count(*) FILTER (WHERE origin = 'alert' AND complete AND failed = 0), "
      "count(*) FILTER (WHERE origin = 'alert' AND failed > 0) "
      "FROM tasks WHERE dispatched_at >= $1 AND dispatched_at < $2",
      params);
  if (!tasks) return tasks.error();
  d.set_tasks(as_count(*tasks, 0));
  d.set_automatic_fixes(as_count(*tasks, 1));
  d.set_automatic_fixes_succeeded(as_count(*tasks, 2));
  d.set_automatic_fixes_failed(as_count(*tasks, 3));

  auto failed = conn.query(
      "SELECT count(*) FROM results WHERE status <> 'SUCCEEDED' AND finished_at >= $1 AND "
      "finished_at < $2",
      params);
  if (!failed) return failed.error();
  d.set_results_failed(as_count(*failed, 0));

  auto approvals = conn.query(
      "SELECT count(*) FILTER (WHERE state = 'pending'), "
      "count(*) FILTER (WHERE state IN ('approved', 'denied') AND answered_at >= $1 AND "
      "answered_at < $2) FROM approvals",
      params);
  if (!approvals) return approvals.error();
  d.set_approvals_waiting(as_count(*approvals, 0));
  d.set_approvals_answered(as_count(*approvals, 1));

  auto escalations = conn.query(
      "SELECT count(*) FROM audit_log WHERE action = 'escalate' AND at >= $1 AND at < $2", params);
  if (!escalations) return escalations.error();
  d.set_escalations(as_count(*escalations, 0));

  auto windows = conn.query(
      "SELECT count(*) FILTER (WHERE state <> 'missed'), "
      "count(*) FILTER (WHERE state = 'succeeded'), "
      "count(*) FILTER (WHERE state = 'missed') "
      "FROM schedule_runs WHERE window_start >= $1 AND window_start < $2",
      params);
  if (!windows) return windows.error();
  d.set_windows_run(as_count(*windows, 0));
  d.set_windows_clean(as_count(*windows, 1));
  d.set_windows_missed(as_count(*windows, 2));

  auto hosts = conn.query(
      "SELECT count(*) FROM results r JOIN tasks t ON t.id = r.task_id WHERE t.origin = "
      "'schedule' AND r.status = 'SUCCEEDED' AND t.dispatched_at >= $1 AND t.dispatched_at < $2",
      params);
  if (!hosts) return hosts.error();
  d.set_hosts_maintained(as_count(*hosts, 0));

  auto patterns = conn.query(
      fmt::format("SELECT pattern, plugin, count(*) FILTER (WHERE outcome = 'failed') AS failures, "
                  "count(*) FILTER (WHERE outcome IN ('verified', 'failed')) AS attempts, "
                  "(array_agg(summary ORDER BY received_at DESC) FILTER (WHERE outcome = "
                  "'failed'))[1] FROM incidents WHERE received_at >= $1 AND received_at < $2 "
                  "GROUP BY pattern, plugin HAVING count(*) FILTER (WHERE outcome = 'failed') > 0 "
                  "ORDER BY failures DESC, pattern LIMIT {}",
                  kTopPatterns),
      params);
  if (!patterns) return patterns.error();
  for (int i = 0; i < patterns->size(); ++i) {
    auto* p = d.add_top_failing();
    p->set_pattern(std::string(patterns->get(i, 0)));
    p->set_plugin(std::string(patterns->get(i, 1)));
    p->set_failures(static_cast<uint32_t>(patterns->get_int(i, 2)));
    p->set_attempts(static_cast<uint32_t>(patterns->get_int(i, 3)));
    p->set_last_error(std::string(patterns->get(i, 4)));
  }
  return d;
}

void estimate_time_saved(tend::DailyDigest& digest, double minutes_per_fix,
                         double minutes_per_maintained_host) {
  digest.set_engineer_minutes_saved(digest.automatic_fixes_succeeded() * minutes_per_fix +
                                    digest.hosts_maintained() * minutes_per_maintained_host);
  digest.set_assumption(fmt::format(
      "{:g} minutes of an engineer's time for each alert fixed without a human (paged, logged "
      "in, looked, fixed, checked) and {:g} for each host a maintenance window updated",
      minutes_per_fix, minutes_per_maintained_host));
}

}  // namespace tend
