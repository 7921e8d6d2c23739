#include "core/coordinator/schedules/schedule_requests.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/common/request_bounds.h"
#include "core/common/wall_time.h"
#include "core/coordinator/schedules/schedule_definition.h"
#include "schemas/report.pb.h"

namespace tend {
namespace {

constexpr int kRecentRuns = 10;

}  // namespace

SysSeconds ScheduleRequests::seconds_now() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now());
}

void ScheduleRequests::handle(const Request& r) {
  const std::string verb(Subjects::last_token(r.subject));
  const bool runs = r.subject == subjects_.runs_request(verb);
  auto store = host_.store();
  if (!store) {
    replier_.refuse(r.from,
                    "the schedule store (PostgreSQL) is unreachable: " + store.error().message);
    return;
  }
  store_ = *store;
  if (runs) {
    if (verb == "report") return report(r);
    if (verb == "status") return status(r);
    return replier_.refuse(r.from, fmt::format("unknown request '{}': use report or status", verb));
  }
  tend::ScheduleRequest req;
  if (!r.data.empty()) {
    if (auto ok = decode(r.data, r.from.encoding, req); !ok)
      return replier_.refuse(r.from, ok.error().message);
  }
  if (auto ok = check_request(req); !ok) return replier_.refuse(r.from, ok.error().message);
  if (verb == "list") return list(r);
  if (verb != "add" && req.name().empty())
    return replier_.refuse(r.from, "name: required: which schedule?");
  if (verb == "add") return add(r, req);
  if (verb == "show") return show(r, req);
  if (verb == "pause") return set_paused(r, req, true);
  if (verb == "resume") return set_paused(r, req, false);
  if (verb == "remove") return remove(r, req);
  if (verb == "run-now") return run_now(r, req);
  replier_.refuse(r.from,
                  fmt::format("unknown request '{}': use add, list, show, pause, resume, remove or "
                              "run-now",
                              verb));
}

Expected<tend::ScheduleView> ScheduleRequests::view_of(const StoredSchedule& stored, int runs) {
  tend::ScheduleView view;
  *view.mutable_schedule() = stored.schedule;
  if (const auto* timetable = host_.zoned(stored.schedule)) {
    if (auto next = timetable->next_after(std::max(seconds_now(), stored.fires_after))) {
      *view.mutable_next_window() = to_timestamp(*next);
      view.set_next_window_local(format_local(*next, timetable->zone()));
    }
  }
  auto recent = store_->recent_runs(stored.schedule.name(), runs);
  if (!recent) return recent.error();
  for (auto& run : *recent) *view.add_recent_runs() = std::move(run);
  return view;
}

void ScheduleRequests::add(const Request& r, const tend::ScheduleRequest& req) {
  tend::Schedule schedule = req.schedule();
  if (auto ok = validate_schedule(schedule); !ok)
    return replier_.refuse(r.from, ok.error().message);
  schedule.set_source("tendctl");
  schedule.set_updated_by(req.by());
  auto existing = store_->get(schedule.name());
  if (!existing) return replier_.refuse(r.from, existing.error().message);
  if (auto ok = store_->put(schedule, seconds_now()); !ok)
    return replier_.refuse(r.from, ok.error().message);
  host_.audit(req.by(), *existing ? "schedule-replace" : "schedule-add", schedule.name(),
              req.reason(), "",
              nlohmann::json({{"cron", schedule.cron()},
                         {"timezone", schedule.timezone()},
                         {"plugin", schedule.plugin()},
                         {"rollout", describe_rollout(schedule)}}));
  auto stored = store_->get(schedule.name());
  tend::ScheduleReply reply;
  reply.set_message(
      fmt::format("schedule '{}' {}", schedule.name(), *existing ? "replaced" : "added"));
  if (stored && *stored) {
    if (auto view = view_of(**stored, 0)) *reply.add_schedules() = std::move(*view);
  }
  replier_.answer(r.from, reply);
}

void ScheduleRequests::list(const Request& r) {
  auto all = store_->list();
  if (!all) return replier_.refuse(r.from, all.error().message);
  tend::ScheduleReply reply;
  for (const auto& stored : *all) {
    auto view = view_of(stored, 1);
    if (!view) return replier_.refuse(r.from, view.error().message);
    *reply.add_schedules() = std::move(*view);
  }
  replier_.answer(r.from, reply);
}

void ScheduleRequests::show(const Request& r, const tend::ScheduleRequest& req) {
  auto stored = store_->get(req.name());
  if (!stored) return replier_.refuse(r.from, stored.error().message);
  if (!*stored)
    return replier_.refuse(r.from,
                           fmt::format("no schedule '{}' (see tendctl schedule list)", req.name()));
  auto view = view_of(**stored, kRecentRuns);
  if (!view) return replier_.refuse(r.from, view.error().message);
  tend::ScheduleReply reply;
  *reply.add_schedules() = std::move(*view);
  replier_.answer(r.from, reply);
}

void ScheduleRequests::set_paused(const Request& r, const tend::ScheduleRequest& req, bool paused) {
  auto changed = store_->set_paused(req.name(), paused, req.by(), seconds_now());
  if (!changed) return replier_.refuse(r.from, changed.error().message);
  if (!*changed)
    return replier_.refuse(r.from,
                           fmt::format("no schedule '{}' (see tendctl schedule list)", req.name()));
  host_.audit(req.by(), paused ? "schedule-pause" : "schedule-resume", req.name(), req.reason(), "",
              nlohmann::json::object());
  tend::ScheduleReply reply;
  reply.set_message(
      paused ? fmt::format("schedule '{}' paused: no window fires until resume", req.name())
             : fmt::format("schedule '{}' resumed: windows that passed while "
                           "paused are not run",
                           req.name()));
  replier_.answer(r.from, reply);
}

void ScheduleRequests::remove(const Request& r, const tend::ScheduleRequest& req) {
  auto removed = store_->remove(req.name());
  if (!removed) return replier_.refuse(r.from, removed.error().message);
  if (!*removed)
    return replier_.refuse(r.from,
                           fmt::format("no schedule '{}' (see tendctl schedule list)", req.name()));
  host_.audit(req.by(), "schedule-remove", req.name(), req.reason(), "", nlohmann::json::object());
  host_.forget(req.name());
  tend::ScheduleReply reply;
  reply.set_message(fmt::format("schedule '{}' removed{}", req.name(),
                                host_.in_schedules_file(req.name())
                                    ? " (it is in schedules.toml: remove it there too, or it "
                                      "comes back at the next start)"
                                    : ""));
  replier_.answer(r.from, reply);
}

void ScheduleRequests::run_now(const Request& r, const tend::ScheduleRequest& req) {
  auto stored = store_->get(req.name());
  if (!stored) return replier_.refuse(r.from, stored.error().message);
  if (!*stored)
    return replier_.refuse(r.from,
                           fmt::format("no schedule '{}' (see tendctl schedule list)", req.name()));
  if (!host_.held_why().empty()) {
    return replier_.refuse(r.from, host_.held_why());
  }
  const auto now = seconds_now();
  host_.audit(req.by(), "schedule-run-now", req.name(), req.reason(), "",
              req.has_seed() ? nlohmann::json({{"seed", req.seed()}}) : nlohmann::json::object());
  const std::string run_id = host_.start_run(
      (*stored)->schedule, now, now + std::chrono::seconds((*stored)->schedule.window_s()),
      "run-now", req.has_seed() ? std::optional<uint64_t>(req.seed()) : std::nullopt);
  if (run_id.empty()) {
    return replier_.refuse(r.from,
                           fmt::format("schedule '{}' has a run starting this very second already: "
                                       "try again",
                                       req.name()));
  }
  tend::ScheduleReply reply;
  reply.set_run_id(run_id);
  std::string seed_text;
  if (const Rollout* rollout = host_.running(run_id); rollout && rollout->spec().seed) {
    seed_text =
        fmt::format(" (limit {}, seed {})", (*stored)->schedule.limit(), *rollout->spec().seed);
  }
  reply.set_message(fmt::format("run {} started{}", run_id, seed_text));
  replier_.answer(r.from, reply);
}

void ScheduleRequests::report(const Request& r) {
  tend::RunRequest req;
  if (!r.data.empty()) {
    if (auto ok = decode(r.data, r.from.encoding, req); !ok)
      return replier_.refuse(r.from, ok.error().message);
  }
  if (auto ok = check_request(req); !ok) return replier_.refuse(r.from, ok.error().message);
  auto found = store_->report(req.last() ? "" : req.run_id());
  if (!found) return replier_.refuse(r.from, found.error().message);
  if (!*found) {
    if (const Rollout* rollout = host_.running(req.run_id())) {
      return replier_.refuse(r.from, fmt::format("run {} is still running: {}", req.run_id(),
                                                 rollout->progress().text()));
    }
    return replier_.refuse(
        r.from,
        req.last() || req.run_id().empty()
            ? std::string("no maintenance report yet")
            : fmt::format("no report for run '{}' (still running, or no such run)", req.run_id()));
  }
  replier_.answer(r.from, **found);
}

void ScheduleRequests::status(const Request& r) {
  tend::RunRequest req;
  if (!r.data.empty()) {
    if (auto ok = decode(r.data, r.from.encoding, req); !ok)
      return replier_.refuse(r.from, ok.error().message);
  }
  if (auto ok = check_request(req); !ok) return replier_.refuse(r.from, ok.error().message);
  if (const Rollout* rollout = host_.running(req.run_id())) {
    return replier_.answer(r.from, host_.run_progress(*rollout));
  }
  auto run = store_->run(req.run_id());
  if (!run) return replier_.refuse(r.from, run.error().message);
  if (!*run) return replier_.refuse(r.from, fmt::format("no run '{}'", req.run_id()));
  tend::Progress p;
  p.set_task_id(req.run_id());
  p.set_kind(tend::Progress::TALLY);
  p.set_state((*run)->state());
  p.set_finished((*run)->state() != "running");
  p.set_text(fmt::format("running on {}", (*run)->owner()));
  if (p.finished()) {
    p.set_text(fmt::format("{}: {}", (*run)->state(), (*run)->text()));
    // A finished run's figures are in its report.
    if (auto stored = store_->report(req.run_id()); stored && *stored) {
      const auto& report = **stored;
      p.set_expected(report.targeted());
      p.set_responded(report.succeeded() + report.needs_attention());
      p.set_succeeded(report.succeeded());
      p.set_failed(report.needs_attention());
      p.set_batch(report.batches_run());
      p.set_batches(report.batches_planned());
      p.set_skipped(report.skipped());
      p.set_text(fmt::format("{}: batch {}/{}; {}", report.state(), report.batches_run(),
                             report.batches_planned(), report.text()));
    }
  }
  replier_.answer(r.from, p);
}

}  // namespace tend
