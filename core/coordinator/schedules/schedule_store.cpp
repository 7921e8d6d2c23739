#include "core/coordinator/schedules/schedule_store.h"

#include <fmt/format.h>

#include "core/common/wall_time.h"
#include "core/coordinator/decisions/safety_store.h"

namespace tend {
namespace {

using store::PgRows;
using namespace std::chrono;

std::string epoch_text(SysSeconds t) { return std::to_string(t.time_since_epoch().count()); }

SysSeconds from_epoch(int64_t s) { return SysSeconds(seconds(s)); }

std::string bytes_of(const google::protobuf::Message& m) {
  return store::PgConnection::bytea_text(m.SerializeAsString());
}

constexpr const char* kRunColumns =
    "id, schedule, extract(epoch from window_start)::bigint, "
    "extract(epoch from window_end)::bigint, trigger, state, owner, text, "
    "coalesce(extract(epoch from finished_at)::bigint, 0)";

tend::ScheduleRun run_at(const PgRows& rows, int i) {
  tend::ScheduleRun run;
  run.set_run_id(std::string(rows.get(i, 0)));
  run.set_schedule(std::string(rows.get(i, 1)));
  *run.mutable_window_start() = to_timestamp(from_epoch(rows.get_int(i, 2)));
  *run.mutable_window_end() = to_timestamp(from_epoch(rows.get_int(i, 3)));
  run.set_trigger(std::string(rows.get(i, 4)));
  run.set_state(std::string(rows.get(i, 5)));
  run.set_owner(std::string(rows.get(i, 6)));
  run.set_text(std::string(rows.get(i, 7)));
  if (int64_t f = rows.get_int(i, 8); f > 0)
    *run.mutable_finished_at() = to_timestamp(from_epoch(f));
  return run;
}

Expected<StoredSchedule> stored_at(const PgRows& rows, int i) {
  StoredSchedule s;
  if (!s.schedule.ParseFromString(rows.get_bytes(i, 0))) {
    return make_error(fmt::format("schedule '{}' in the store cannot be read", rows.get(i, 2)));
  }
  s.schedule.set_paused(rows.get_bool(i, 3));
  s.fires_after = from_epoch(rows.get_int(i, 1));
  return s;
}

constexpr const char* kScheduleColumns =
    "definition, extract(epoch from fires_after)::bigint, name, paused";

}  // namespace

std::string run_id_for(const std::string& schedule, SysSeconds window_start) {
  const auto day = floor<days>(window_start);
  const year_month_day ymd{day};
  const hh_mm_ss hms{window_start - day};
  return fmt::format("{}-{:04}{:02}{:02}T{:02}{:02}{:02}Z", schedule, static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

ScheduleStore::ScheduleStore(const std::string& url)
    : db_(store::DatabaseOptions{
          .url = url, .who = "schedules", .while_away = "no window fires here until it is back"}) {}

Expected<std::unique_ptr<ScheduleStore>> ScheduleStore::connect(const std::string& url) {
  auto store = std::make_unique<ScheduleStore>(url);
  if (auto ok = store->reach(); !ok) return ok.error();
  return store;
}

Expected<void> ScheduleStore::reach() {
  auto conn = db_.connection();
  if (!conn) return conn.error();
  return {};
}

Expected<bool> ScheduleStore::sync_from_file(const tend::Schedule& schedule, SysSeconds now) {
  auto existing = get(schedule.name());
  if (!existing) return existing.error();
  if (*existing) {
    tend::Schedule file = schedule;
    tend::Schedule stored = (*existing)->schedule;
    file.set_paused(false);
    stored.set_paused(false);
    stored.set_updated_by(file.updated_by());
    if (file.SerializeAsString() == stored.SerializeAsString()) return false;
    tend::Schedule merged = schedule;
    merged.set_paused((*existing)->schedule.paused());
    if (auto ok = put(merged, now); !ok) return ok.error();
    return true;
  }
  if (auto ok = put(schedule, now); !ok) return ok.error();
  return true;
}

Expected<void> ScheduleStore::put(const tend::Schedule& schedule, SysSeconds now) {
  // A changed cron or zone starts a fresh count: no window of the old
  // timetable is run late or called missed.
  return db_.exec(
      "INSERT INTO schedules (name, cron, timezone, plugin, paused, source, definition, "
      "fires_after, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7::bytea, to_timestamp($8), $9) "
      "ON CONFLICT (name) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone, "
      "plugin = EXCLUDED.plugin, paused = EXCLUDED.paused, source = EXCLUDED.source, "
      "definition = EXCLUDED.definition, updated_at = now(), updated_by = EXCLUDED.updated_by, "
      "fires_after = CASE WHEN schedules.cron = EXCLUDED.cron AND schedules.timezone = "
      "EXCLUDED.timezone THEN schedules.fires_after ELSE EXCLUDED.fires_after END",
      {schedule.name(), schedule.cron(), schedule.timezone(), schedule.plugin(),
       schedule.paused() ? "true" : "false", schedule.source(), bytes_of(schedule), epoch_text(now),
       schedule.updated_by()});
}

Expected<std::vector<StoredSchedule>> ScheduleStore::list() {
  auto rows = db_.query(fmt::format("SELECT {} FROM schedules ORDER BY name", kScheduleColumns));
  if (!rows) return rows.error();
  std::vector<StoredSchedule> out;
  for (int i = 0; i < rows->size(); ++i) {
    auto s = stored_at(*rows, i);
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

Expected<std::optional<StoredSchedule>> ScheduleStore::get(const std::string& name) {
  auto rows =
      db_.query(fmt::format("SELECT {} FROM schedules WHERE name = $1", kScheduleColumns), {name});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<StoredSchedule>();
  auto s = stored_at(*rows, 0);
  if (!s) return s.error();
  return std::optional<StoredSchedule>(std::move(*s));
}

Expected<bool> ScheduleStore::set_paused(const std::string& name, bool paused,
                                         const std::string& by, SysSeconds now) {
  auto rows = db_.query(
      "UPDATE schedules SET paused = $2, updated_at = now(), updated_by = $3, "
      "fires_after = CASE WHEN $2 THEN fires_after ELSE greatest(fires_after, to_timestamp($4)) "
      "END WHERE name = $1 RETURNING name",
      {name, paused ? "true" : "false", by, epoch_text(now)});
  if (!rows) return rows.error();
  return !rows->empty();
}

Expected<bool> ScheduleStore::remove(const std::string& name) {
  auto rows = db_.query("DELETE FROM schedules WHERE name = $1 RETURNING name", {name});
  if (!rows) return rows.error();
  return !rows->empty();
}

Expected<bool> ScheduleStore::claim(const RunClaim& c) {
  auto rows = db_.query(
      "INSERT INTO schedule_runs (id, schedule, window_start, window_end, trigger, state, owner, "
      "seed, finished_at) VALUES ($1, $2, to_timestamp($3), to_timestamp($4), $5, $6, $7, $8, "
      "CASE WHEN $6 = 'running' THEN NULL ELSE now() END) "
      "ON CONFLICT DO NOTHING RETURNING id",
      {c.run_id, c.schedule, epoch_text(c.window_start), epoch_text(c.window_end), c.trigger,
       c.state, c.owner,
       c.seed ? std::optional<std::string>(std::to_string(static_cast<int64_t>(*c.seed)))
              : std::nullopt});
  if (!rows) return rows.error();
  return !rows->empty();
}

Expected<std::optional<SysSeconds>> ScheduleStore::last_window(const std::string& schedule) {
  auto rows = db_.query(
      "SELECT extract(epoch from max(window_start))::bigint FROM schedule_runs "
      "WHERE schedule = $1 AND trigger = 'window'",
      {schedule});
  if (!rows) return rows.error();
  if (rows->empty() || rows->is_null(0, 0)) return std::optional<SysSeconds>();
  return std::optional<SysSeconds>(from_epoch(rows->get_int(0, 0)));
}

Expected<void> ScheduleStore::finish_run(const std::string& run_id, const std::string& state,
                                         const std::string& text) {
  return db_.exec(
      "UPDATE schedule_runs SET state = $2, text = $3, finished_at = now() WHERE id = $1",
      {run_id, state, text});
}

Expected<std::vector<std::string>> ScheduleStore::interrupt_runs_of(const std::string& owner) {
  auto rows = db_.query(
      "UPDATE schedule_runs SET state = 'interrupted', finished_at = now(), "
      "text = 'the coordinator running it stopped' WHERE owner = $1 AND state = 'running' "
      "RETURNING id",
      {owner});
  if (!rows) return rows.error();
  std::vector<std::string> ids;
  for (int i = 0; i < rows->size(); ++i) ids.emplace_back(rows->get(i, 0));
  return ids;
}

Expected<std::vector<tend::ScheduleRun>> ScheduleStore::recent_runs(const std::string& schedule,
                                                                    int count) {
  auto rows = db_.query(
      fmt::format("SELECT {} FROM schedule_runs WHERE schedule = $1 ORDER BY window_start DESC "
                  "LIMIT $2",
                  kRunColumns),
      {schedule, std::to_string(count)});
  if (!rows) return rows.error();
  std::vector<tend::ScheduleRun> runs;
  for (int i = 0; i < rows->size(); ++i) runs.push_back(run_at(*rows, i));
  return runs;
}

Expected<std::optional<tend::ScheduleRun>> ScheduleStore::run(const std::string& run_id) {
  auto rows =
      db_.query(fmt::format("SELECT {} FROM schedule_runs WHERE id = $1", kRunColumns), {run_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<tend::ScheduleRun>();
  return std::optional<tend::ScheduleRun>(run_at(*rows, 0));
}

Expected<void> ScheduleStore::save_report(const tend::MaintenanceReport& report) {
  return db_.exec(
      "INSERT INTO maintenance_reports (run_id, schedule, at, state, text, report) "
      "VALUES ($1, $2, now(), $3, $4, $5::bytea) ON CONFLICT (run_id) DO UPDATE SET "
      "at = now(), state = EXCLUDED.state, text = EXCLUDED.text, report = EXCLUDED.report",
      {report.run_id(), report.schedule(), report.state(), report.text(), bytes_of(report)});
}

Expected<std::optional<tend::MaintenanceReport>> ScheduleStore::report(const std::string& run_id) {
  auto rows = run_id.empty()
                  ? db_.query("SELECT report FROM maintenance_reports ORDER BY at DESC LIMIT 1")
                  : db_.query("SELECT report FROM maintenance_reports WHERE run_id = $1", {run_id});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<tend::MaintenanceReport>();
  tend::MaintenanceReport report;
  if (!report.ParseFromString(rows->get_bytes(0, 0))) {
    return make_error("the stored report cannot be read");
  }
  return std::optional<tend::MaintenanceReport>(std::move(report));
}

Expected<std::string> ScheduleStore::emergency_stop() {
  auto stop = db_.run<decisions::EmergencyStop>(decisions::read_emergency_stop);
  if (!stop) return stop.error();
  return stop->active ? stop->why() : std::string();
}

}  // namespace tend
