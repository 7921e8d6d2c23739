// The maintenance-window component of tend-coordinator. On a thread of its
// own, with its own PostgreSQL connection (never the event loop's time), it
//  - loads schedules.toml into the store at start;
//  - answers tend.schedule.<verb> (add, list, show, pause, resume, remove,
//    run-now) and tend.runs.{report,status}, through ScheduleRequests;
//  - every poll, claims each window that opened (ScheduleStore::claim: one
//    coordinator wins, the others skip it), runs it as a Rollout through the
//    coordinator, and records windows that closed unrun as missed;
//  - publishes progress on tend.progress.<run_id>, the report on
//    tend.report.maintenance (and stores it), escalations on tend.escalation,
//    and audits every step.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>

#include "bus/connection.h"
#include "bus/replier.h"
#include "bus/subjects.h"
#include "core/common/actor.h"
#include "core/common/wall_clock.h"
#include "core/coordinator/schedules/fleet.h"
#include "core/coordinator/schedules/rollout.h"
#include "core/coordinator/schedules/schedule_requests.h"
#include "core/coordinator/schedules/schedule_store.h"
#include "core/coordinator/schedules/schedules_config.h"
#include "core/coordinator/schedules/zoned_schedule.h"
#include "core/store/task_store.h"
#include "schemas/escalation.pb.h"

namespace tend {

struct SchedulerOptions {
  std::string database_url;
  std::string owner;  // this coordinator's name
  Subjects subjects;
  SchedulesConfig config;
  // Where a run that needs a human goes: the alert loop's escalator (which
  // also tells the notifiers) when there is one; else a plain publish on
  // tend.escalation.
  std::function<void(const tend::Escalation&)> escalate;
  QueueLimits queue;  // [limits]: requests and tallies waiting for the thread
};

// What reaches the scheduler's thread besides the verbs.
namespace schedule_events {
struct BatchDone {
  std::string run_id;
  tend::Summary summary;
};
// A batch's own tally, while it runs: the run's bar moves host by host.
struct BatchTally {
  tend::Progress tally;
};
using Event = std::variant<ScheduleRequests::Request, BatchDone, BatchTally>;
}  // namespace schedule_events

// Private: the verbs (ScheduleRequests) reach its store and runs through Host;
// its thread is an Actor's.
class Scheduler final : private ScheduleRequests::Host,
                        private Actor<schedule_events::Event>::Owner {
 public:
  Scheduler(SchedulerOptions options, Connection& conn, Fleet& fleet, store::TaskStore& audit,
            const WallClock& clock);
  ~Scheduler() override;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // A bad schedules.toml is an error (the coordinator refuses to start);
  // PostgreSQL not answering yet is not: the thread keeps trying.
  Expected<void> start();

  // Runs in progress end "interrupted", each with its report.
  void stop();

 private:
  using Request = ScheduleRequests::Request;
  using BatchDone = schedule_events::BatchDone;
  using BatchTally = schedule_events::BatchTally;
  using Event = schedule_events::Event;
  using Clock = Actor<Event>::Clock;

  // The thread (Actor::Owner): requests and batches as they come; running
  // rollouts at their next step, and the windows every poll.
  void on_start() override;
  void on_event(Event& event) override;
  Clock::time_point next_wake() const override;
  void on_wake() override;
  // Runs in progress end "interrupted".
  void on_stop() override;
  Expected<void> ensure_store();
  void tick();
  bool held_by_emergency_stop();
  void handle(Request& request);
  void handle(BatchDone& done);
  void handle(BatchTally& tally);
  void follow_batch(const std::string& run_id, const std::string& task_id);

  // ScheduleRequests::Host
  Expected<ScheduleStore*> store() override;
  const ZonedSchedule* zoned(const tend::Schedule& schedule) override;
  void forget(const std::string& name) override;
  bool in_schedules_file(const std::string& name) const override;
  const std::string& held_why() const override { return held_why_; }
  std::string start_run(const tend::Schedule& schedule, SysSeconds window_start,
                        SysSeconds window_end, const std::string& trigger,
                        std::optional<uint64_t> seed) override;
  const Rollout* running(const std::string& run_id) const override;
  tend::Progress run_progress(const Rollout& rollout) const override;
  void audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& reason, const std::string& task_id,
             const nlohmann::json& detail) override;

  void consider(const StoredSchedule& stored, SysSeconds now);
  void record_missed(const tend::Schedule& schedule, SysSeconds start, SysSeconds end);
  void publish_progress(const Rollout& rollout);
  void finish(Rollout& rollout);
  void escalate(const Rollout& rollout, const tend::MaintenanceReport& report);

  SchedulerOptions options_;
  Connection& conn_;
  Replier replier_;
  Fleet& fleet_;
  store::TaskStore& audit_;
  const WallClock& clock_;
  ScheduleRequests requests_;  // answered on the thread below, between windows
  Actor<Event> loop_;

  // The scheduler thread's alone.
  Clock::time_point next_poll_{};
  std::unique_ptr<ScheduleStore> store_;
  std::vector<tend::Schedule> from_file_;
  bool file_synced_ = false;
  std::map<std::string, std::pair<std::string, ZonedSchedule>>
      zoned_;                                     // name → (cron|zone, parsed)
  std::map<std::string, SysSeconds> considered_;  // name → newest window start handled
  std::map<std::string, std::unique_ptr<Rollout>> rollouts_;  // run id → running rollout
  struct Followed {
    std::string run_id;
    tend::Progress tally;
    std::unique_ptr<Subscription> sub;
  };
  std::map<std::string, Followed> batches_;  // batch task id → its latest tally
  std::string held_why_;  // why the emergency stop holds maintenance back; empty when it does not

  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace tend
