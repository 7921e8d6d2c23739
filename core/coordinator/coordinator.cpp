#include "core/coordinator/coordinator.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "bus/names.h"
#include "core/common/input_bounds.h"
#include "core/common/request_bounds.h"
#include "core/common/task_bounds.h"
#include "core/common/task_id.h"
#include "core/common/thread_name.h"
#include "core/common/trace_point.h"
#include "core/common/wall_time.h"
#include "core/coordinator/dispatch_plan.h"
#include "core/coordinator/result_message.h"
#include "core/coordinator/submit_request.h"
#include "schemas/progress.pb.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

// Nothing in flight: wake now and then anyway, which costs nothing.
constexpr auto kIdleWake = 60s;
// Counting nodes for the metrics takes a pass over the registry: not on
// every heartbeat of a large fleet.
constexpr auto kNodeCountInterval = 1s;

}  // namespace

std::string coordinator_name(const CoordinatorConfig& config) {
  if (!config.name.empty()) return config.name;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::string name(host);
  name = name.substr(0, name.find('.'));
  return "tend-coordinator@" + (name.empty() ? std::string("localhost") : name);
}

Coordinator::Coordinator(CoordinatorConfig config, Connection& connection, store::TaskStore& store,
                         bool durable_results)
    : config_(std::move(config)),
      conn_(connection),
      replier_(connection, "coordinator"),
      store_(store),
      durable_results_(durable_results),
      subjects_(config_.nats.subject_prefix),
      name_(coordinator_name(config_)),
      events_("coordinator", config_.limits.queue),
      metrics_(TEND_VERSION, seconds_since_epoch(std::chrono::system_clock::now())) {}

Coordinator::~Coordinator() { stop(); }

Expected<std::unique_ptr<Subscription>> Coordinator::subscribe(
    const std::string& subject, void (Coordinator::*handler)(const Message&), const char* queue) {
  return conn_.subscribe(
      subject, [this, handler](Message msg) { (this->*handler)(msg); }, queue);
}

Expected<void> Coordinator::start() {
  if (running_.exchange(true)) return {};
  metrics_file_ = TextfileExporter::start(config_.metrics.textfile_dir, "tend_coordinator",
                                          [this] { return metrics_.render(); });
  loop_ = std::thread([this] {
    name_this_thread("event-loop");
    run();
  });
  struct Wanted {
    std::string subject;
    void (Coordinator::*handler)(const Message&);
    const char* queue;
  };
  const Wanted wanted[] = {
      {subjects_.heartbeat_any(), &Coordinator::on_heartbeat, ""},
      {subjects_.result_any(), &Coordinator::on_result, ""},
      {subjects_.progress_any(), &Coordinator::on_progress, ""},
      {subjects_.task_any(), &Coordinator::on_task, kCoordinatorQueueGroup},
      {subjects_.nodes(), &Coordinator::on_nodes, kCoordinatorQueueGroup},
      {subjects_.control_any(), &Coordinator::on_control, kCoordinatorQueueGroup},
  };
  for (const auto& w : wanted) {
    auto sub = subscribe(w.subject, w.handler, w.queue);
    if (!sub) {
      stop();
      return sub.error();
    }
    subs_.push_back(std::move(*sub));
  }
  // Last, so that a task is never dispatched before its results can be heard.
  auto submit = subscribe(subjects_.submit(), &Coordinator::on_submit, kCoordinatorQueueGroup);
  if (!submit) {
    stop();
    return submit.error();
  }
  submit_sub_ = std::move(*submit);
  taking_submits_ = true;
  spdlog::info("coordinator {} taking tasks on {}", name_, subjects_.submit());
  return {};
}

void Coordinator::stop() {
  if (!running_.exchange(false)) return;
  taking_submits_ = false;
  // Draining hands later submits to our peers and queues what was delivered,
  // ahead of the stop. Without a server it could only wait for its timeout.
  if (conn_.connected()) submit_sub_.reset();
  events_.push(StopRequested{});
  if (loop_.joinable()) loop_.join();
  metrics_.set_up(false);
  metrics_file_.reset();  // its last write says the coordinator stopped
  if (!conn_.connected()) {
    spdlog::warn("NATS is not connected: final summaries go out if it comes back while draining");
    return;
  }
  if (auto ok = conn_.flush(2s); !ok) {
    spdlog::warn("final summaries may not have reached NATS: {}", ok.error().message);
  }
}

// --- NATS delivery threads ---------------------------------------------------

bool Coordinator::enqueue(CoordinatorEvent event, const Message& msg) {
  auto queued = events_.try_push(std::move(event), msg.data().size());
  if (queued) return true;
  metrics_.refused("event_queue");
  queue_full_.warn(fmt::format("message on {} refused: {}", msg.subject(), queued.error().message));
  replier_.refuse(msg, queued.error().message + ": try again in a moment");
  return false;
}

void Coordinator::on_submit(const Message& msg) {
  trace_point("c.on_submit");
  enqueue(SubmitReceived{Requester::of(msg), read_submit(msg.data(), msg.encoding())}, msg);
}

void Coordinator::on_heartbeat(const Message& msg) {
  tend::Heartbeat hb;
  if (auto ok = msg.decode(hb); !ok) {
    spdlog::warn("heartbeat on {} ignored: {}", msg.subject(), ok.error().message);
    return;
  }
  if (auto ok = check_subject_name("heartbeat host", hb.host()); !ok) {
    bad_input_.warn(fmt::format("heartbeat on {} ignored: {}", msg.subject(), ok.error().message));
    return;
  }
  enqueue(HeartbeatReceived{std::move(hb)}, msg);
}

void Coordinator::on_result(const Message& msg) {
  trace_point("c.on_result");
  auto result = read_result(msg);
  if (!result) {
    bad_input_.warn(fmt::format("result on {} ignored: {}", msg.subject(), result.error().message));
    return;
  }
  enqueue(ResultReceived{std::move(*result)}, msg);
}

void Coordinator::on_progress(const Message& msg) {
  trace_point("c.on_progress");
  tend::Progress progress;
  if (auto ok = msg.decode(progress); !ok) {
    spdlog::debug("progress on {} ignored: {}", msg.subject(), ok.error().message);
    return;
  }
  if (progress.kind() != tend::Progress::ACK) return;  // our own tallies come back here
  std::string task_id = progress.task_id().empty()
                            ? std::string(Subjects::last_token(msg.subject()))
                            : progress.task_id();
  enqueue(AckReceived{std::move(task_id), progress.host()}, msg);
}

void Coordinator::on_task(const Message& msg) {
  tend::Task task;
  if (auto ok = msg.decode(task); !ok) {
    spdlog::debug("task on {} not followed: {}", msg.subject(), ok.error().message);
    return;
  }
  if (!task.dispatched_by().empty()) return;  // a coordinator follows it already
  // Exactly as the agents derive it, so their results land on the same id.
  if (task.id().empty()) task.set_id(derived_task_id(msg.subject(), msg.reply(), msg.data()));
  if (!is_valid_name(task.id())) return;         // the agents refuse it too
  if (auto ok = check_task_bounds(task); !ok) {  // and this: nothing of it is kept
    bad_input_.warn(fmt::format("task on {} not followed: {}", msg.subject(), ok.error().message));
    return;
  }
  enqueue(TaskPublished{std::string(msg.subject()), std::move(task)}, msg);
}

void Coordinator::on_nodes(const Message& msg) { enqueue(NodesRequested{Requester::of(msg)}, msg); }

void Coordinator::on_control(const Message& msg) {
  tend::Control control;
  if (!msg.decode(control)) return;  // the agents refuse it, and say so to the sender
  // Past a bound it is neither audited nor an emergency stop: the agents
  // refuse it too, naming the bound to the sender.
  if (auto ok = check_request(control); !ok) {
    bad_input_.warn(fmt::format("control on {} ignored: {}", msg.subject(), ok.error().message));
    return;
  }
  enqueue(ControlSeen{std::string(msg.subject()), std::move(control)}, msg);
}

void Coordinator::results_stored(std::vector<tend::Result> results) {
  events_.push(ResultsStored{std::move(results)});
}

// --- recovery ----------------------------------------------------------------

void Coordinator::restore(const store::RecoveredState& state) {
  for (const auto& node : state.nodes) {
    registry_.restore(node.heartbeat, from_micros(node.first_seen_us),
                      from_micros(node.last_seen_us));
  }
  const auto wall_now = std::chrono::system_clock::now();
  const auto steady_now = TaskTracker::Clock::now();
  for (const auto& recovered : state.tasks) {
    const auto& record = recovered.record;
    // The tracker counts on the steady clock: place the dispatch as long
    // ago as the store says it was.
    auto age = wall_now - from_micros(record.dispatched_us);
    TaskTracker::Deadlines deadlines{
        steady_now - std::chrono::duration_cast<TaskTracker::Clock::duration>(age),
        config_.tasks.ack_timeout,
        std::chrono::duration_cast<std::chrono::milliseconds>(from_micros(record.deadline_us) -
                                                              from_micros(record.dispatched_us))};
    TaskTracker tracker(record.task, record.expected_hosts, deadlines, record.target);
    for (const auto& host : recovered.acknowledged) tracker.acknowledged(host);
    for (const auto& result : recovered.results) tracker.record(result);
    Requester requester{record.reply_to, record.reply_json ? Encoding::kJson : Encoding::kProtobuf};
    in_flight_.emplace(
        record.task.id(),
        InFlight{
            std::move(tracker), std::move(requester), task_origin_from_name(record.origin), {}});
  }
  if (!state.tasks.empty()) {
    spdlog::info("picked up {} unfinished task(s) from the store", state.tasks.size());
  }
}

// --- event loop --------------------------------------------------------------

void Coordinator::run() {
  while (!loop_done_) {
    auto event = events_.pop_until(next_wake());
    // Nothing may end this thread but a stop: one bad event costs one event.
    try {
      if (event) std::visit([this](auto& e) { handle(e); }, *event);
      if (!loop_done_) finish_due(TaskTracker::Clock::now());
      if (!loop_done_) refresh_metrics(TaskTracker::Clock::now());
    } catch (const std::exception& e) {
      spdlog::error("coordinator event failed: {}", e.what());
    }
  }
}

TaskTracker::Clock::time_point Coordinator::next_wake() const {
  auto now = TaskTracker::Clock::now();
  auto wake = now + kIdleWake;
  for (const auto& [id, task] : in_flight_) wake = std::min(wake, task.tracker.next_deadline(now));
  return wake;
}

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
    audit(task.requested_by().empty() ? "unknown" : task.requested_by(), "submit", task, target,
          "{}");
  }
  audit(name_, "dispatch", task, target,
        fmt::format(R"({{"expected":{},"subjects":{}}})", plan.expected_hosts.size(),
                    plan.subjects.size()));
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
  audit(event.task.requested_by().empty() ? "unknown" : event.task.requested_by(), "direct",
        event.task, event.subject, fmt::format(R"({{"expected":{}}})", expected->size()));
  track(std::move(event.task), std::move(*expected), TaskOrigin::kDirect, event.subject,
        Requester{});
}

void Coordinator::handle(HeartbeatReceived& event) {
  const auto& hb = event.heartbeat;
  if (registry_.last_heartbeat(hb.host()) == nullptr) {
    if (auto room =
            check_room("coordinator", registry_.size(), "nodes known", config_.limits.max_nodes);
        !room) {
      metrics_.refused("nodes");
      table_full_.warn(
          fmt::format("heartbeat of new node {} ignored: {}", hb.host(), room.error().message));
      return;
    }
  }
  if (hb.has_reloaded_at()) {
    const tend::Heartbeat* before = registry_.last_heartbeat(hb.host());
    // Only a change seen against an earlier heartbeat: a coordinator that
    // just started cannot tell a new reload from one it already recorded.
    if (before != nullptr && (before->reloaded_at().seconds() != hb.reloaded_at().seconds() ||
                              before->reloaded_at().nanos() != hb.reloaded_at().nanos())) {
      store::AuditEntry entry;
      entry.at_us = google::protobuf::util::TimeUtil::TimestampToMicroseconds(hb.reloaded_at());
      entry.actor = hb.host();
      entry.action = "reload";
      entry.target = hb.host();
      entry.reason = hb.reloaded_by();
      entry.detail = nlohmann::json({{"outcome", hb.reload_outcome()}})
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      store_.audit(std::move(entry));
    }
  }
  registry_.heard(event.heartbeat, NodeRegistry::Clock::now());
  store_.node_heard(event.heartbeat);
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

void Coordinator::submit_internal(tend::Task task, TaskOrigin origin,
                                  std::function<void(const tend::Summary&)> done) {
  events_.push(InternalSubmit{std::move(task), origin, std::move(done)});
}

std::vector<std::string> Coordinator::expected_hosts(const tend::Target& target) {
  constexpr auto timeout = std::chrono::seconds(2);
  auto promise = std::make_shared<std::promise<std::vector<std::string>>>();
  auto future = promise->get_future();
  events_.push(HostsQuery{target, promise});
  if (future.wait_for(timeout) != std::future_status::ready) return {};
  return future.get();
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

void Coordinator::handle(HostsQuery& event) {
  event.answer->set_value(
      registry_.expected_hosts_matching(event.target, NodeRegistry::Clock::now()));
}

void Coordinator::handle(ControlSeen& event) {
  for (const auto& observer : control_observers_) observer(event.subject, event.control);
  const auto& c = event.control;
  store::AuditEntry entry;
  entry.actor = c.by().empty() ? "unknown" : c.by();
  entry.action = "control";
  entry.target = std::string(Subjects::last_token(event.subject));
  entry.reason = c.reason();
  entry.detail = fmt::format(R"({{"action":"{}"}})", c.action());
  store_.audit(std::move(entry));
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

void Coordinator::handle(NodesRequested& event) {
  replier_.answer(event.from, registry_.node_list(NodeRegistry::Clock::now()));
}

void Coordinator::handle(StopRequested&) {
  if (!in_flight_.empty()) {
    spdlog::info("answering {} task(s) in flight with what they have so far", in_flight_.size());
  }
  while (!in_flight_.empty()) {
    finish(in_flight_.begin()->first, TaskEnding::kCoordinatorShuttingDown);
  }
  loop_done_ = true;
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
        fmt::format(R"({{"text":{},"complete":{}}})", nlohmann::json(summary.text()).dump(),
                    summary.complete() ? "true" : "false"));
}

// The gauges that come from the loop's own state.
void Coordinator::refresh_metrics(TaskTracker::Clock::time_point now) {
  metrics_.set_tasks_in_flight(in_flight_.size());
  metrics_.store_lag(store_.lag_seconds());
  if (now - nodes_counted_at_ < kNodeCountInterval) return;
  nodes_counted_at_ = now;
  auto nodes = registry_.counts(NodeRegistry::Clock::now());
  metrics_.set_nodes(nodes.online, nodes.offline);
}

void Coordinator::audit(std::string actor, std::string action, const tend::Task& task,
                        std::string target, std::string detail) {
  store::AuditEntry entry;
  entry.actor = std::move(actor);
  entry.action = std::move(action);
  entry.task_id = task.id();
  entry.target = std::move(target);
  entry.reason = task.reason();
  nlohmann::json parsed = nlohmann::json::parse(detail, nullptr, false);
  if (parsed.is_discarded()) parsed = nlohmann::json::object();
  parsed["plugin"] = task.plugin();
  if (task.dry_run()) parsed["dry_run"] = true;
  entry.detail = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  store_.audit(std::move(entry));
}

Expected<void> Coordinator::room_for_task() {
  auto room =
      check_room("coordinator", in_flight_.size(), "tasks in flight", config_.limits.max_in_flight);
  if (!room) metrics_.refused("in_flight");
  return room;
}

}  // namespace tend
