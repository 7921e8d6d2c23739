#include "core/coordinator/schedules/scheduler.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/common/host_count.h"
#include "core/common/random_subset.h"
#include "core/common/target_matcher.h"
#include "core/common/wall_time.h"
#include "core/store/audit_entry.h"
#include "core/coordinator/schedules/maintenance_report.h"
#include "core/coordinator/schedules/schedule_definition.h"
#include "core/coordinator/schedules/window_firing.h"
#include "schemas/escalation.pb.h"
#include "schemas/report.pb.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using google::protobuf::util::TimeUtil;

SysSeconds seconds_now(const WallClock& clock) {
  return std::chrono::floor<std::chrono::seconds>(clock.now());
}

}  // namespace

Scheduler::Scheduler(SchedulerOptions options, Connection& conn, Fleet& fleet,
                     store::TaskStore& audit, const WallClock& clock)
    : options_(std::move(options)),
      conn_(conn),
      replier_(conn, "schedules"),
      fleet_(fleet),
      audit_(audit),
      clock_(clock),
      requests_(conn, options_.subjects, clock, *this),
      loop_(*this, "scheduler", "scheduler", options_.queue),
      store_(std::make_unique<ScheduleStore>(options_.database_url)) {}

Scheduler::~Scheduler() { stop(); }

Expected<void> Scheduler::start() {
  if (!options_.config.file.empty()) {
    auto schedules = load_schedules_file(options_.config.file);
    if (!schedules) return schedules.error();
    from_file_ = std::move(*schedules);
  }
  loop_.start();
  for (const auto& subject : {options_.subjects.schedule_any(), options_.subjects.runs_any()}) {
    auto sub = conn_.subscribe(
        subject,
        [this](Message msg) {
          auto queued = loop_.try_push(
              Request{std::string(msg.subject()), std::string(msg.data()), Requester::of(msg)},
              msg.data().size());
          if (!queued) replier_.refuse(msg, queued.error().message + ": ask again in a moment");
        },
        kCoordinatorQueueGroup);
    if (!sub) {
      stop();
      return sub.error();
    }
    subs_.push_back(std::move(*sub));
  }
  spdlog::info("schedules: {} from {}; windows checked every {} ms{}", from_file_.size(),
               options_.config.file.empty() ? "no file" : options_.config.file,
               options_.config.poll.count(),
               options_.config.enabled ? "" : " (windows disabled here: [schedules] enabled)");
  return {};
}

void Scheduler::stop() {
  subs_.clear();
  loop_.stop();
}

// --- the thread ------------------------------------------------------------

void Scheduler::on_start() { next_poll_ = Clock::now() + options_.config.settle; }

void Scheduler::on_event(Event& event) {
  std::visit([this](auto& e) { handle(e); }, event);
}

// The next poll, or a rollout's next step (on the wall clock) if sooner.
Scheduler::Clock::time_point Scheduler::next_wake() const {
  auto wake = next_poll_;
  const auto wall_now = clock_.now();
  for (const auto& [id, rollout] : rollouts_) {
    if (auto at = rollout->next_wake()) {
      wake = std::min(wake,
                      Clock::now() + std::chrono::duration_cast<Clock::duration>(*at - wall_now));
    }
  }
  return wake;
}

void Scheduler::on_wake() {
  for (auto& [id, rollout] : rollouts_) rollout->tick();
  std::vector<std::string> done;
  for (auto& [id, rollout] : rollouts_) {
    if (rollout->finished()) done.push_back(id);
  }
  for (const auto& id : done) {
    finish(*rollouts_.at(id));
    rollouts_.erase(id);
  }
  if (Clock::now() >= next_poll_) {
    tick();
    next_poll_ = Clock::now() + options_.config.poll;
  }
}

void Scheduler::on_stop() {
  batches_.clear();
  for (auto& [id, rollout] : rollouts_) {
    rollout->interrupt("the coordinator running it stopped");
    finish(*rollout);
  }
  rollouts_.clear();
}

// The store says when it is unreachable; the first time it is reached,
// schedules.toml goes in and runs this coordinator left behind are closed.
Expected<void> Scheduler::ensure_store() {
  if (auto reached = store_->reach(); !reached) return reached;
  if (!file_synced_) {
    for (const auto& schedule : from_file_) {
      auto changed = store_->sync_from_file(schedule, seconds_now(clock_));
      if (!changed) {
        spdlog::error("schedules: '{}' from {} not stored: {}", schedule.name(),
                      options_.config.file, changed.error().message);
        continue;
      }
      if (*changed) {
        audit(options_.owner, "schedule-load", schedule.name(), "from " + options_.config.file, "",
              nlohmann::json({{"cron", schedule.cron()}, {"timezone", schedule.timezone()}}));
      }
    }
    auto interrupted = store_->interrupt_runs_of(options_.owner);
    if (interrupted) {
      for (const auto& id : *interrupted) {
        spdlog::warn(
            "schedules: run {} was still running when this coordinator stopped; marked "
            "interrupted",
            id);
        audit(options_.owner, "schedule-interrupted", id, "the coordinator running it stopped", "",
              nlohmann::json::object());
      }
    }
    file_synced_ = true;
  }
  return {};
}

void Scheduler::tick() {
  if (!options_.config.enabled) return;
  if (!ensure_store()) return;
  if (held_by_emergency_stop()) return;
  auto schedules = store_->list();
  if (!schedules) {
    spdlog::warn("schedules: cannot read them: {}", schedules.error().message);
    return;
  }
  const auto now = seconds_now(clock_);
  for (const auto& stored : *schedules) {
    if (stored.schedule.paused()) continue;
    consider(stored, now);
  }
}

// While the emergency stop is on, no window starts and running ones start no
// further batch. A window that opens meanwhile runs once the stop is lifted,
// if it is still open then; otherwise it is reported missed.
bool Scheduler::held_by_emergency_stop() {
  auto why = store_->emergency_stop();
  if (!why) {
    spdlog::warn("schedules: cannot read the emergency stop: {}", why.error().message);
    return false;
  }
  if (why->empty()) {
    if (!held_why_.empty()) spdlog::info("schedules: the emergency stop is lifted");
    held_why_.clear();
    return false;
  }
  if (held_why_.empty()) spdlog::warn("schedules: no window starts: {}", *why);
  held_why_ = *why;
  for (auto& [id, rollout] : rollouts_) rollout->halt(*why);
  return true;
}

const ZonedSchedule* Scheduler::zoned(const tend::Schedule& schedule) {
  const std::string key = schedule.cron() + "|" + schedule.timezone();
  auto it = zoned_.find(schedule.name());
  if (it != zoned_.end() && it->second.first == key) return &it->second.second;
  auto parsed = ZonedSchedule::parse(schedule.cron(), schedule.timezone());
  if (!parsed) {
    spdlog::error("schedules: '{}' cannot fire: {}", schedule.name(), parsed.error().message);
    return nullptr;
  }
  zoned_.insert_or_assign(schedule.name(), std::pair{key, std::move(*parsed)});
  considered_.erase(schedule.name());  // a new timetable: count afresh
  return &zoned_.at(schedule.name()).second;
}

void Scheduler::consider(const StoredSchedule& stored, SysSeconds now) {
  const auto& schedule = stored.schedule;
  const ZonedSchedule* timetable = zoned(schedule);
  if (timetable == nullptr) return;
  auto it = considered_.find(schedule.name());
  if (it == considered_.end()) {
    auto last = store_->last_window(schedule.name());
    if (!last) return;
    SysSeconds from = stored.fires_after;
    if (*last && **last > from) from = **last;
    it = considered_.emplace(schedule.name(), from).first;
  }
  it->second = std::max(it->second, stored.fires_after);
  auto due = windows_due(*timetable, std::chrono::seconds(schedule.window_s()), it->second, now,
                         options_.config.max_missed);
  if (due.missed_beyond > 0) {
    spdlog::warn("schedules: '{}' missed {} more window(s) before the ones reported",
                 schedule.name(), due.missed_beyond);
  }
  for (const auto& window : due.windows) {
    if (window.open) {
      start_run(schedule, window.start, window.end, "window", std::nullopt);
    } else {
      record_missed(schedule, window.start, window.end);
    }
    it->second = window.start;
  }
}

// --- runs --------------------------------------------------------------------

std::string Scheduler::start_run(const tend::Schedule& schedule, SysSeconds window_start,
                                 SysSeconds window_end, const std::string& trigger,
                                 std::optional<uint64_t> seed) {
  const std::string run_id = run_id_for(schedule.name(), window_start);
  if (!schedule.limit().empty() && !seed) seed = fresh_seed();
  RunClaim claim{run_id,  schedule.name(), window_start,   window_end,
                 trigger, "running",       options_.owner, seed};
  auto claimed = store_->claim(claim);
  if (!claimed) {
    spdlog::error("schedules: window {} not claimed: {}", run_id, claimed.error().message);
    return "";
  }
  if (!*claimed) return "";  // another coordinator runs it

  RunSpec spec;
  spec.run_id = run_id;
  spec.schedule = schedule;
  spec.window_start = window_start;
  spec.window_end = window_end;
  spec.trigger = trigger;
  spec.hosts = fleet_.hosts(schedule.target());
  spec.target_size = spec.hosts.size();
  if (!schedule.limit().empty()) {
    spec.seed = seed;
    spec.hosts =
        random_subset(spec.hosts, HostCount::parse(schedule.limit())->of(spec.hosts.size()), *seed);
  }
  spec.roles = fleet_.roles();
  const auto zone = TimeZone::named(schedule.timezone());
  spdlog::info("schedules: {} ({}) starts: {} on {} host(s){}", run_id, trigger, schedule.plugin(),
               spec.hosts.size(),
               seed ? fmt::format(", limit {} seed {}", schedule.limit(), *seed) : "");
  audit(options_.owner, "schedule-run", schedule.name(),
        trigger == "window" ? "maintenance window opened" : "run-now", run_id,
        nlohmann::json({{"run_id", run_id},
                   {"trigger", trigger},
                   {"plugin", schedule.plugin()},
                   {"hosts", spec.hosts.size()},
                   {"target", TargetMatcher::describe(schedule.target())},
                   {"window_end", zone ? format_local(window_end, *zone) : ""},
                   {"seed", seed ? nlohmann::json(*seed) : nlohmann::json()}}));
  auto rollout =
      std::make_unique<Rollout>(std::move(spec), clock_, [this, run_id](tend::Task task) {
        follow_batch(run_id, task.id());
        fleet_.submit(std::move(task), [this, run_id](const tend::Summary& summary) {
          loop_.push(BatchDone{run_id, summary});
        });
      });
  Rollout& r = *rollout;
  rollouts_[run_id] = std::move(rollout);
  r.start();
  publish_progress(r);
  return run_id;
}

void Scheduler::record_missed(const tend::Schedule& schedule, SysSeconds start, SysSeconds end) {
  const std::string run_id = run_id_for(schedule.name(), start);
  auto claimed = store_->claim(
      {run_id, schedule.name(), start, end, "window", "missed", options_.owner, std::nullopt});
  if (!claimed || !*claimed) return;  // recorded (or run) by another coordinator
  auto zone = TimeZone::named(schedule.timezone());
  auto report = make_missed_report(run_id, schedule, start, end, zone ? *zone : TimeZone::utc());
  spdlog::warn("schedules: {}", report.text());
  (void)store_->finish_run(run_id, "missed", report.text());
  (void)store_->save_report(report);
  (void)conn_.publish(options_.subjects.report("maintenance"), report);
  audit(options_.owner, "schedule-missed", schedule.name(), report.skipped_why(), run_id,
        nlohmann::json({{"run_id", run_id}, {"text", report.text()}}));
}

// Subscribed before the batch is submitted, so its first tally is heard.
void Scheduler::follow_batch(const std::string& run_id, const std::string& task_id) {
  auto sub = conn_.subscribe(options_.subjects.progress(task_id), [this](Message msg) {
    tend::Progress p;
    // A tally only moves the bar: with the queue full it is left out.
    if (msg.decode(p) && p.kind() == tend::Progress::TALLY) {
      (void)loop_.try_push(BatchTally{std::move(p)}, msg.data().size());
    }
  });
  if (!sub) return;  // the bar then moves batch by batch
  batches_[task_id] = Followed{run_id, {}, std::move(*sub)};
}

void Scheduler::handle(BatchTally& event) {
  auto it = batches_.find(event.tally.task_id());
  if (it == batches_.end()) return;
  it->second.tally = std::move(event.tally);
  if (auto r = rollouts_.find(it->second.run_id); r != rollouts_.end())
    publish_progress(*r->second);
}

void Scheduler::handle(BatchDone& done) {
  batches_.erase(done.summary.task_id());
  auto it = rollouts_.find(done.run_id);
  if (it == rollouts_.end()) return;
  it->second->batch_finished(done.summary);
  publish_progress(*it->second);
}

tend::Progress Scheduler::run_progress(const Rollout& rollout) const {
  // Hosts of batches still running that already answered.
  size_t answered = 0, failed = 0;
  for (const auto& [task_id, batch] : batches_) {
    if (batch.run_id != rollout.spec().run_id) continue;
    answered += batch.tally.responded();
    failed += batch.tally.failed();
  }
  return rollout.progress(answered, failed);
}

void Scheduler::publish_progress(const Rollout& rollout) {
  if (auto ok =
          conn_.publish(options_.subjects.progress(rollout.spec().run_id), run_progress(rollout));
      !ok) {
    spdlog::debug("schedules: progress of {} not published: {}", rollout.spec().run_id,
                  ok.error().message);
  }
}

void Scheduler::finish(Rollout& rollout) {
  const auto& spec = rollout.spec();
  auto zone = TimeZone::named(spec.schedule.timezone());
  auto report = make_report(spec, rollout.outcome(), zone ? *zone : TimeZone::utc());
  spdlog::info("schedules: {} {}: {}", spec.run_id, report.state(), report.text());
  publish_progress(rollout);
  if (auto ok = store_->finish_run(spec.run_id, report.state(), report.text()); !ok) {
    spdlog::error("schedules: run {} not recorded as finished: {}", spec.run_id,
                  ok.error().message);
  }
  if (auto ok = store_->save_report(report); !ok) {
    spdlog::error("schedules: report of {} not stored: {}", spec.run_id, ok.error().message);
  }
  if (auto ok = conn_.publish(options_.subjects.report("maintenance"), report); !ok) {
    spdlog::error("schedules: report of {} not published: {}", spec.run_id, ok.error().message);
  }
  audit(options_.owner, "maintenance-report", spec.schedule.name(), report.state(), spec.run_id,
        nlohmann::json({{"run_id", spec.run_id},
                   {"state", report.state()},
                   {"text", report.text()},
                   {"succeeded", report.succeeded()},
                   {"needs_attention", report.needs_attention()},
                   {"skipped", report.skipped()}}));
  if (rollout.escalated()) escalate(rollout, report);
}

void Scheduler::escalate(const Rollout& rollout, const tend::MaintenanceReport& report) {
  const auto& spec = rollout.spec();
  tend::Escalation e;
  e.set_kind("maintenance");
  e.set_run_id(spec.run_id);
  e.set_schedule(spec.schedule.name());
  e.set_plugin(spec.schedule.plugin());
  e.set_what_fired(
      fmt::format("maintenance window of schedule {} (run {})", spec.schedule.name(), spec.run_id));
  e.set_what_was_tried(fmt::format("{} on {} host(s): {}", spec.schedule.plugin(),
                                   spec.hosts.size(), describe_rollout(spec.schedule)));
  e.set_what_it_found(report.text());
  e.set_why(rollout.outcome().why);
  for (const auto& group : report.attention()) {
    for (const auto& host : group.hosts()) e.add_failed_hosts(host);
  }
  e.set_look_at(fmt::format(
      "Look at the failed hosts first ({}): the report groups them by cause (tendctl report {}). "
      "{} host(s) were not touched; once the cause is fixed, run the rest with "
      "`tendctl schedule run-now {}`.",
      fmt::join(e.failed_hosts(), ", "), spec.run_id, report.skipped(), spec.schedule.name()));
  *e.mutable_at() = TimeUtil::GetCurrentTime();
  spdlog::warn("schedules: {} escalated: {}", spec.run_id, e.why());
  if (options_.escalate) {
    options_.escalate(e);
  } else if (auto ok = conn_.publish(options_.subjects.escalation(), e, Encoding::kJson); !ok) {
    spdlog::error("schedules: escalation of {} not published: {}", spec.run_id, ok.error().message);
  }
  audit(options_.owner, "escalate", spec.schedule.name(), rollout.outcome().why, spec.run_id,
        nlohmann::json({{"run_id", spec.run_id},
                   {"what_failed", e.what_it_found()},
                   {"failed_hosts", nlohmann::json(std::vector<std::string>(
                                        e.failed_hosts().begin(), e.failed_hosts().end()))}}));
}

void Scheduler::audit(const std::string& actor, const std::string& action,
                      const std::string& target, const std::string& reason,
                      const std::string& task_id, const nlohmann::json& detail) {
  audit_.audit(store::audit_entry(actor, action, target, reason, detail, task_id));
}

void Scheduler::handle(Request& r) { requests_.handle(r); }

// --- what the verbs need (ScheduleRequests::Host) ----------------------------

Expected<ScheduleStore*> Scheduler::store() {
  if (auto reached = ensure_store(); !reached) return reached.error();
  return store_.get();
}

void Scheduler::forget(const std::string& name) {
  zoned_.erase(name);
  considered_.erase(name);
}

bool Scheduler::in_schedules_file(const std::string& name) const {
  return std::any_of(from_file_.begin(), from_file_.end(),
                     [&](const auto& s) { return s.name() == name; });
}

const Rollout* Scheduler::running(const std::string& run_id) const {
  auto it = rollouts_.find(run_id);
  return it == rollouts_.end() ? nullptr : it->second.get();
}

}  // namespace tend
