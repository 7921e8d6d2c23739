#include "core/coordinator/decisions/safety_store.h"

#include <fmt/format.h>

#include "core/common/wall_time.h"
#include "core/store/sql_time.h"

namespace tend::decisions {

using store::epoch_us;
using store::time_at;
using store::time_value;
using store::timestamp_param;

namespace {

constexpr const char* kStop = "emergency_stop";


}  // namespace

Expected<void> SafetyStore::load(CircuitBreakers& breakers, std::chrono::seconds fleet_window,
                                 WallTime now) {
  auto rows =
      db_.query(fmt::format("SELECT kind, key, state, reason, {}, probe_task_id, {} FROM breakers",
                            epoch_us("opened_at"), epoch_us("reset_at")));
  if (!rows) return rows.error();
  for (int r = 0; r < rows->size(); ++r) {
    Breaker b;
    b.kind = rows->get(r, 0);
    b.key = rows->get(r, 1);
    b.state = breaker_state_from_name(rows->get(r, 2));
    b.reason = rows->get(r, 3);
    b.opened_at = time_at(*rows, r, 4);
    b.probe_task = rows->get(r, 5);
    b.reset_at = time_at(*rows, r, 6);
    breakers.restore(std::move(b));
  }
  auto dispatched = db_.query(
      fmt::format("SELECT service, host, {} FROM incidents WHERE automatic AND dispatched_at > {}",
                  epoch_us("dispatched_at"), timestamp_param(1)),
      {time_value(micros(now - std::chrono::hours(1)))});
  if (!dispatched) return dispatched.error();
  for (int r = 0; r < dispatched->size(); ++r) {
    breakers.restore_dispatch(std::string(dispatched->get(r, 0)),
                              std::string(dispatched->get(r, 1)), time_at(*dispatched, r, 2));
  }
  auto outcomes = db_.query(
      fmt::format("SELECT outcome = 'verified', {} FROM incidents WHERE automatic AND outcome IN "
                  "('verified', 'failed') AND fixed_at > {}",
                  epoch_us("fixed_at"), timestamp_param(1)),
      {time_value(micros(now - fleet_window))});
  if (!outcomes) return outcomes.error();
  for (int r = 0; r < outcomes->size(); ++r) {
    breakers.restore_outcome(outcomes->get_bool(r, 0), time_at(*outcomes, r, 1));
  }
  return {};
}

Expected<void> SafetyStore::save(const Breaker& b) {
  return db_.exec(
      fmt::format("INSERT INTO breakers (kind, key, state, reason, opened_at, probe_task_id, "
                  "reset_at) VALUES ($1, $2, $3, $4, {}, $6, {}) ON CONFLICT (kind, key) DO "
                  "UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason, opened_at = "
                  "EXCLUDED.opened_at, probe_task_id = EXCLUDED.probe_task_id, reset_at = "
                  "EXCLUDED.reset_at",
                  timestamp_param(5), timestamp_param(7)),
      {b.kind, b.key, std::string(breaker_state_name(b.state)), b.reason,
       time_value(micros(b.opened_at)), b.probe_task, time_value(micros(b.reset_at))});
}

Expected<EmergencyStop> SafetyStore::load_stop() {
  return db_.run<EmergencyStop>(read_emergency_stop);
}

Expected<EmergencyStop> read_emergency_stop(store::PgConnection& conn) {
  auto rows =
      conn.query(fmt::format("SELECT active, by, reason, {} FROM alert_controls WHERE name = $1",
                             epoch_us("at")),
                 {kStop});
  if (!rows) return rows.error();
  EmergencyStop stop;
  if (rows->empty()) return stop;
  stop.active = rows->get_bool(0, 0);
  stop.by = rows->get(0, 1);
  stop.reason = rows->get(0, 2);
  stop.since = time_at(*rows, 0, 3);
  return stop;
}

Expected<void> SafetyStore::save(const EmergencyStop& stop) {
  return db_.exec(
      fmt::format("INSERT INTO alert_controls (name, active, by, reason, at) VALUES ($1, $2, $3, "
                  "$4, {}) ON CONFLICT (name) DO UPDATE SET active = EXCLUDED.active, by = "
                  "EXCLUDED.by, reason = EXCLUDED.reason, at = EXCLUDED.at",
                  timestamp_param(5)),
      {kStop, stop.active ? "true" : "false", stop.by, stop.reason,
       time_value(micros(stop.since))});
}

}  // namespace tend::decisions
