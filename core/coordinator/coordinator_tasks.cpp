// Tasks on the event loop, from dispatch to summary: submits (operators',
// the coordinator's own, those published straight to tend.task.*),
// acknowledgements and results, deadlines, and the audit trail of each.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/common/input_bounds.h"
#include "core/common/task_bounds.h"
#include "core/common/task_id.h"
#include "core/common/trace_point.h"
#include "core/common/wall_time.h"
#include "core/coordinator/coordinator.h"
#include "core/coordinator/dispatch_plan.h"
#include "core/coordinator/summary_text.h"
#include "core/store/audit_entry.h"

namespace tend {

void Coordinator::handle(SubmitReceived& event) {
  trace_point("c.h_submit");
  if (!taking_submits_) {
    replier_.refuse(event.from,
                    "the coordinator is shutting down: submit again (another coordinator "
                    "takes it if one runs)");
    return;
  }
  if (!event.task) {
    replier_.refuse(event.from, event.task.error().message);
    return;
  }
  if (auto room = room_for_task(); !room) {
    replier_.refuse(event.from, room.error().message + ": try again once tasks finish");
    return;
  }
  tend::Task task = std::move(event.task).value();
  if (task.id().empty()) task.set_id(new_task_id());
  if (in_flight_.contains(task.id())) {
    replier_.refuse(event.from,
                    fmt::format("task id '{}' is already in flight: wait for its summary on {} "
                                "or leave the id out to get a fresh one",
                                task.id(), subjects_.summary(task.id())));
    return;
  }
  dispatch(std::move(task), event.from);
}

void Coordinator::dispatch(tend::Task task, const Requester& from, TaskOrigin origin,
                           std::function<void(const tend::Summary&)> done) {
  const bool wait = !task.has_wait() || task.wait();
  task.clear_wait();
  if (task.timeout_s() == 0) {
    task.set_timeout_s(static_cast<uint32_t>(config_.tasks.default_timeout.count()));
  }
  task.set_dispatched_by(name_);
  auto plan = plan_dispatch(task, registry_, subjects_, NodeRegistry::Clock::now());

  if (!wait) {
    tend::SubmitAccepted accepted;
    accepted.set_task_id(task.id());
    accepted.set_expected(static_cast<uint32_t>(plan.expected_hosts.size()));
    for (const auto& host : plan.expected_hosts) accepted.add_expected_hosts(host);
    replier_.answer(from, accepted);
  }
  const std::string id = task.id();
  const std::string target = TargetMatcher::describe(task.target());
  const bool nobody = plan.expected_hosts.empty();
  // Published first, the bookkeeping after: the agents start meanwhile, and
  // nothing they send back is handled before this event is done.
  trace_point("c.planned", id);
  for (const auto& subject : nobody ? std::vector<std::string>{} : plan.subjects) {
    if (auto ok = conn_.publish(subject, task); !ok) {
      spdlog::error("task {} not sent on {}: {}; its hosts will be reported unreachable", id,
                    subject, ok.error().message);
    }
  }
  trace_point("c.published", id);
  if (!nobody) {
    spdlog::info("task {} ({}, target {}) for {} host(s) on {}", id, task.plugin(), target,
                 plan.expected_hosts.size(), fmt::join(plan.subjects, " "));
  }
  if (origin == TaskOrigin::kSubmit) {
    audit(task.requested_by(), "submit", task, target, nlohmann::json::object());
  }
  audit(name_, "dispatch", task, target,
        {{"expected", plan.expected_hosts.size()}, {"subjects", plan.subjects.size()}});
  track(std::move(task), std::move(plan.expected_hosts), origin, "target " + target,
        wait ? from : Requester{});
  if (done) in_flight_.at(id).done = std::move(done);
  // With no one to publish to, the loop finishes it at once.
}

void Coordinator::track(tend::Task task, std::vector<std::string> expected, TaskOrigin origin,
                        std::string audience, Requester requester) {
  const auto now = TaskTracker::Clock::now();
  TaskTracker::Deadlines deadlines{now, config_.tasks.ack_timeout,
                                   std::chrono::seconds(task.timeout_s()) + config_.tasks.grace};
  const auto wall_now = std::chrono::system_clock::now();
  store::TaskRecord record{task,
                           std::string(origin_name(origin)),
                           audience,
                           expected,
                           micros(wall_now),
                           micros(wall_now + deadlines.run_limit),
                           requester.reply,
                           requester.encoding == Encoding::kJson};
  store_.task_dispatched(record);
  const std::string id = task.id();
  in_flight_.emplace(id, InFlight{TaskTracker(std::move(task), std::move(expected), deadlines,
                                              std::move(audience)),
                                  std::move(requester),
                                  origin,
                                  {}});
  auto early = early_.take(id);
  for (auto& host : early.acks) {
    AckReceived ack{id, std::move(host)};
    handle(ack);
  }
  for (auto& result : early.results) {
    ResultReceived arrived{std::move(result)};
    handle(arrived);
  }
}

void Coordinator::handle(TaskPublished& event) {
  auto expected = expected_for_published_task(event.subject, event.task, registry_, subjects_,
                                              NodeRegistry::Clock::now());
  if (!expected) return;
  // The same task on one more subject: more hosts to wait for, one summary.
  if (auto it = in_flight_.find(event.task.id()); it != in_flight_.end()) {
    it->second.tracker.expect(*expected);
    return;
  }
  if (auto room = room_for_task(); !room) {
    table_full_.warn(fmt::format("task {} published on {} is not followed: {}", event.task.id(),
                                 event.subject, room.error().message));
    return;
  }
  if (event.task.timeout_s() == 0) {
    event.task.set_timeout_s(static_cast<uint32_t>(config_.tasks.default_timeout.count()));
  }
  spdlog::info("following task {} ({}) published on {} for {} host(s)", event.task.id(),
               event.task.plugin(), event.subject, expected->size());
  audit(event.task.requested_by(), "direct", event.task, event.subject,
        {{"expected", expected->size()}});
  track(std::move(event.task), std::move(*expected), TaskOrigin::kDirect, event.subject,
        Requester{});
}

void Coordinator::handle(AckReceived& event) {
  if (auto it = in_flight_.find(event.task_id); it != in_flight_.end()) {
    it->second.tracker.acknowledged(event.host);
    store_.task_acknowledged(event.task_id, event.host);
  } else {
    early_.ack(event.task_id, event.host, EarlyArrivals::Clock::now());
  }
}

void Coordinator::handle(ResultReceived& event) {
  trace_point("c.h_result", event.result.task_id());
  if (!durable_results_) store_.result_received(event.result);
  if (!in_flight_.contains(event.result.task_id())) {
    // Perhaps ahead of its task (see EarlyArrivals), perhaps not ours.
    early_.result(event.result, EarlyArrivals::Clock::now());
    return;
  }
  record(event.result);
}

// The same result may come twice (heard live, and again once stored): the
// tracker keeps the first.
void Coordinator::handle(ResultsStored& event) {
  metrics_.results_stored(event.results.size());
  for (const auto& result : event.results) {
    if (in_flight_.contains(result.task_id())) record(result);
  }
}

void Coordinator::handle(InternalSubmit& event) {
  tend::Task task = std::move(event.task);
  if (task.id().empty()) task.set_id(new_task_id());
  if (auto ok = check_task_bounds(task); !ok) {
    // A route's or a schedule's params filled in from an alert can still be
    // too long: the agents would refuse it, so it is not sent.
    spdlog::warn("task {} ({}) not dispatched: {}", task.id(), task.plugin(), ok.error().message);
    auto hosts = registry_.expected_hosts_matching(task.target(), NodeRegistry::Clock::now());
    if (event.done)
      event.done(not_dispatched_summary(task.id(), task.plugin(), hosts, ok.error().message));
    return;
  }
  if (in_flight_.contains(task.id())) {
    spdlog::error("task {} of the coordinator's own is already in flight; not sent again",
                  task.id());
    return;
  }
  if (auto room = room_for_task(); !room) {
    // Whoever waits for it (an alert's fix, a maintenance batch) hears why
    // it never ran, with the hosts it was for.
    spdlog::warn("task {} ({}) not dispatched: {}", task.id(), task.plugin(), room.error().message);
    auto hosts = registry_.expected_hosts_matching(task.target(), NodeRegistry::Clock::now());
    if (event.done) {
      event.done(not_dispatched_summary(task.id(), task.plugin(), hosts, room.error().message));
    }
    return;
  }
  task.set_wait(false);
  dispatch(std::move(task), Requester{}, event.origin, std::move(event.done));
}

void Coordinator::record(const tend::Result& result) {
  TaskTracker& tracker = in_flight_.at(result.task_id()).tracker;
  if (!tracker.expected_hosts().contains(result.host())) {
    spdlog::info("task {}: result from {}, which was not expected; counted", tracker.task().id(),
                 result.host());
  }
  if (!tracker.record(result)) return;  // the first result from a host wins
  const auto now = TaskTracker::Clock::now();
  auto tally = tracker.tally(now);
  // The last result answers the requester before anything else goes out.
  if (tracker.finished(now)) finish(result.task_id(), TaskEnding::kFinished);
  if (auto ok = conn_.publish(subjects_.progress(tally.task_id()), tally); !ok) {
    spdlog::warn("progress for {} not published: {}", tally.task_id(), ok.error().message);
  }
}

void Coordinator::finish_due(TaskTracker::Clock::time_point now) {
  std::vector<std::string> due;
  for (const auto& [id, task] : in_flight_) {
    if (task.tracker.finished(now)) due.push_back(id);
  }
  for (const auto& id : due) finish(id, TaskEnding::kFinished);
}

void Coordinator::finish(const std::string& task_id, TaskEnding ending) {
  auto node = in_flight_.extract(task_id);
  if (node.empty()) return;
  const InFlight& task = node.mapped();
  tend::Summary summary = task.tracker.summary(TaskTracker::Clock::now(), ending);
  spdlog::info("task {} ({}): {}", task_id, summary.plugin(), summary.text());
  replier_.answer(task.requester, summary);
  trace_point("c.answered", task_id);
  if (ending == TaskEnding::kCoordinatorShuttingDown && store_.keeps_tasks()) {
    // Not over: the store has it, and the next coordinator to start picks
    // it up and publishes the real summary.
    return;
  }
  if (auto ok = conn_.publish(subjects_.summary(task_id), summary); !ok) {
    spdlog::error("summary of {} not published: {}", task_id, ok.error().message);
  }
  store_.task_finished(summary);
  metrics_.task_finished(task.origin, summary);
  if (task.done) task.done(summary);
  trace_point("c.finished", task_id);
  audit(name_, "summary", task.tracker.task(),
        TargetMatcher::describe(task.tracker.task().target()),
        {{"text", summary.text()}, {"complete", summary.complete()}});
}

void Coordinator::audit(const std::string& actor, std::string action, const tend::Task& task,
                        std::string target, nlohmann::json detail) {
  detail["plugin"] = task.plugin();
  if (task.dry_run()) detail["dry_run"] = true;
  store_.audit(store::audit_entry(actor, std::move(action), std::move(target), task.reason(),
                                  detail, task.id()));
}

Expected<void> Coordinator::room_for_task() {
  auto room =
      check_room("coordinator", in_flight_.size(), "tasks in flight", config_.limits.max_in_flight);
  if (!room) metrics_.refused("in_flight");
  return room;
}

}  // namespace tend
