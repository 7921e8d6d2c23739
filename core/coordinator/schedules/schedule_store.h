// Schedules, their runs and reports in PostgreSQL, on the connection of the
// thread that owns this object (the scheduler's own; never the event loop).
// The connection never waits for the server: while it is away a call fails
// at once, and a later one connects again (database.h).
// Claiming a window is one INSERT against a unique key: the first
// coordinator's row wins, every other's is a no-op.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/common/time_zone.h"
#include "core/store/database.h"
#include "schemas/report.pb.h"
#include "schemas/schedule.pb.h"

namespace tend {

struct StoredSchedule {
  tend::Schedule schedule;
  SysSeconds fires_after;
};

// A run to claim; the id is derived from the schedule and the window.
struct RunClaim {
  std::string run_id;
  std::string schedule;
  SysSeconds window_start;
  SysSeconds window_end;
  std::string trigger;  // window, run-now
  std::string state;    // running, or missed
  std::string owner;
  std::optional<uint64_t> seed;
};

class ScheduleStore {
 public:
  // Connects when first used.
  explicit ScheduleStore(const std::string& url);
  // Connected now, or why not.
  static Expected<std::unique_ptr<ScheduleStore>> connect(const std::string& url);

  // A live connection, or why there is none (one try, as the back-off allows).
  Expected<void> reach();

  // From schedules.toml: added when new, replaced when changed (keeping the
  // paused state operators set live), left alone when the same.
  Expected<bool> sync_from_file(const tend::Schedule& schedule, SysSeconds now);
  // From tendctl: added or replaced whole.
  Expected<void> put(const tend::Schedule& schedule, SysSeconds now);
  Expected<std::vector<StoredSchedule>> list();
  Expected<std::optional<StoredSchedule>> get(const std::string& name);
  // False when there is no such schedule. Resuming starts a fresh count:
  // windows that passed while paused are neither run nor called missed.
  Expected<bool> set_paused(const std::string& name, bool paused, const std::string& by,
                            SysSeconds now);
  Expected<bool> remove(const std::string& name);

  // True when this call's row went in: the caller runs the window.
  Expected<bool> claim(const RunClaim& claim);
  // The newest window a run was claimed for (any coordinator, any state).
  Expected<std::optional<SysSeconds>> last_window(const std::string& schedule);
  Expected<void> finish_run(const std::string& run_id, const std::string& state,
                            const std::string& text);
  // Runs this coordinator left running when it stopped: marked interrupted.
  Expected<std::vector<std::string>> interrupt_runs_of(const std::string& owner);
  Expected<std::vector<tend::ScheduleRun>> recent_runs(const std::string& schedule, int count);
  Expected<std::optional<tend::ScheduleRun>> run(const std::string& run_id);

  Expected<void> save_report(const tend::MaintenanceReport& report);
  // Why fixes are stopped when the emergency stop (`tendctl pause --all`,
  // kept by the alert loop in alert_controls) is on; empty when it is not.
  Expected<std::string> emergency_stop();
  // The report of `run_id`, or the newest one when it is empty.
  Expected<std::optional<tend::MaintenanceReport>> report(const std::string& run_id);

 private:
  store::Database db_;
};

// "security-updates-20261122T010000Z": the same on every coordinator.
std::string run_id_for(const std::string& schedule, SysSeconds window_start);

}  // namespace tend
