#include "core/coordinator/schedules/maintenance_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "core/common/wall_time.h"
#include "core/coordinator/schedules/schedule_definition.h"

namespace tend {
namespace {

constexpr size_t kHostsInLine = 5;

SysSeconds seconds_of(const google::protobuf::Timestamp& t) {
  return SysSeconds(std::chrono::seconds(t.seconds()));
}

// The status alone says enough for these; a reason would only repeat it.
bool status_speaks_for_itself(const std::string& status) {
  return status == "TIMED_OUT" || status == "UNREACHABLE" || status == "NO_RESULT";
}

std::string duration_text(uint64_t ms) {
  const uint64_t s = ms / 1000;
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {} s", s / 60, s % 60);
  return fmt::format("{} h {} min", s / 3600, (s % 3600) / 60);
}

}  // namespace

tend::MaintenanceReport make_report(const RunSpec& spec, const RolloutOutcome& outcome,
                                    const TimeZone& zone) {
  tend::MaintenanceReport r;
  r.set_run_id(spec.run_id);
  r.set_schedule(spec.schedule.name());
  r.set_plugin(spec.schedule.plugin());
  r.set_state(outcome.state);
  r.set_timezone(zone.name());
  r.set_dry_run(spec.schedule.dry_run());
  *r.mutable_window_start() = to_timestamp(spec.window_start);
  *r.mutable_window_end() = to_timestamp(spec.window_end);
  *r.mutable_started_at() = to_timestamp(outcome.started_at);
  *r.mutable_finished_at() = to_timestamp(outcome.finished_at);
  r.set_duration_ms(static_cast<uint64_t>(std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(outcome.finished_at -
                                                               outcome.started_at)
             .count())));
  r.set_targeted(static_cast<uint32_t>(spec.hosts.size()));
  // Grouped by cause: same status, same reason; in the order first seen.
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> groups;
  for (const auto& host : outcome.hosts) {
    if (host.status == "SUCCEEDED") {
      r.set_succeeded(r.succeeded() + 1);
      continue;
    }
    r.set_needs_attention(r.needs_attention() + 1);
    std::pair key{host.status, status_speaks_for_itself(host.status) ? "" : host.reason};
    if (!groups.contains(key)) order.push_back(key);
    groups[key].push_back(host.host);
  }
  for (const auto& key : order) {
    auto* group = r.add_attention();
    group->set_status(key.first);
    group->set_cause(key.second);
    for (const auto& host : groups[key]) group->add_hosts(host);
  }
  for (const auto& host : outcome.skipped) r.add_skipped_hosts(host);
  r.set_skipped(static_cast<uint32_t>(outcome.skipped.size()));
  if (!outcome.skipped.empty() || outcome.state == "escalated" ||
      outcome.state == "window-closed" || outcome.state == "interrupted") {
    r.set_skipped_why(outcome.why);
  }
  r.set_batches_run(static_cast<uint32_t>(outcome.batches_run));
  r.set_batches_planned(static_cast<uint32_t>(outcome.batches_planned));
  for (const auto& id : outcome.task_ids) r.add_task_ids(id);
  r.set_limit(spec.schedule.limit());
  if (spec.seed) r.set_seed(*spec.seed);
  r.set_text(report_line(r));
  r.set_markdown(report_markdown(r, zone));
  return r;
}

tend::MaintenanceReport make_missed_report(const std::string& run_id,
                                           const tend::Schedule& schedule, SysSeconds window_start,
                                           SysSeconds window_end, const TimeZone& zone) {
  tend::MaintenanceReport r;
  r.set_run_id(run_id);
  r.set_schedule(schedule.name());
  r.set_plugin(schedule.plugin());
  r.set_state("missed");
  r.set_timezone(zone.name());
  *r.mutable_window_start() = to_timestamp(window_start);
  *r.mutable_window_end() = to_timestamp(window_end);
  r.add_missed(format_local(window_start, zone));
  r.set_skipped_why("no coordinator was running while the window was open");
  r.set_text(report_line(r));
  r.set_markdown(report_markdown(r, zone));
  return r;
}

std::string report_line(const tend::MaintenanceReport& r) {
  if (r.state() == "missed") {
    return fmt::format("window {} missed: {}", fmt::join(r.missed(), ", "), r.skipped_why());
  }
  if (r.state() == "no-hosts") return "0/0 succeeded; the target matched no host";
  std::string line = fmt::format("{}/{} succeeded", r.succeeded(), r.targeted());
  if (r.needs_attention() > 0) {
    std::vector<std::string> named;
    size_t left = 0;
    for (const auto& group : r.attention()) {
      for (const auto& host : group.hosts()) {
        if (named.size() >= kHostsInLine) {
          ++left;
          continue;
        }
        named.push_back(group.cause().empty()
                            ? fmt::format("{} {}", host, group.status())
                            : fmt::format("{} {} {}", host, group.status(), group.cause()));
      }
    }
    line += fmt::format("; {} need{} attention: {}", r.needs_attention(),
                        r.needs_attention() == 1 ? "s" : "", fmt::join(named, ", "));
    if (left > 0) line += fmt::format(", and {} more", left);
  }
  if (r.skipped() > 0)
    line += fmt::format("; {} skipped: {}", r.skipped(), r.skipped_why());
  else if (r.state() == "escalated" || r.state() == "interrupted") {
    line += fmt::format("; stopped: {}", r.skipped_why());
  }
  if (r.dry_run()) line += " (dry run)";
  return line;
}

std::string report_markdown(const tend::MaintenanceReport& r, const TimeZone& zone) {
  std::string md = fmt::format("# Maintenance report: {}\n\n", r.schedule());
  md += fmt::format("**{}**\n\n", report_line(r));
  md += fmt::format("- run: `{}` ({}), plugin `{}`{}\n", r.run_id(), r.state(), r.plugin(),
                    r.dry_run() ? ", dry run" : "");
  md += fmt::format("- window: {} to {}\n", format_local(seconds_of(r.window_start()), zone),
                    format_local(seconds_of(r.window_end()), zone));
  if (r.state() != "missed") {
    md += fmt::format("- ran: {} to {} ({})\n", format_local(seconds_of(r.started_at()), zone),
                      format_local(seconds_of(r.finished_at()), zone),
                      duration_text(r.duration_ms()));
    md += fmt::format("- batches: {} of {} started\n", r.batches_run(), r.batches_planned());
  }
  if (!r.limit().empty()) {
    md += fmt::format(
        "- limit {}: a random subset, seed {} (`tendctl schedule run-now {} --seed {}` "
        "chooses it again)\n",
        r.limit(), r.seed(), r.schedule(), r.seed());
  }
  if (r.attention_size() > 0) {
    md += fmt::format("\n## Needs attention ({})\n\n", r.needs_attention());
    for (const auto& group : r.attention()) {
      md += fmt::format("- {}{}: {}\n", group.status(),
                        group.cause().empty() ? "" : " — " + group.cause(),
                        fmt::join(group.hosts(), ", "));
    }
  }
  if (r.skipped() > 0) {
    md += fmt::format("\n## Skipped ({})\n\n{}: {}\n", r.skipped(), r.skipped_why(),
                      fmt::join(r.skipped_hosts(), ", "));
  }
  if (r.missed_size() > 0) {
    md += fmt::format("\n## Missed\n\n{}: {}\n", r.skipped_why(), fmt::join(r.missed(), ", "));
  }
  if (r.task_ids_size() > 0) {
    md += fmt::format("\nTasks: {}\n", fmt::join(r.task_ids(), ", "));
  }
  return md;
}

}  // namespace tend
