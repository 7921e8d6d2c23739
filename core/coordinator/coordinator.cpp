// The coordinator's life (start, stop, what the store had) and its event
// loop; what the loop does with each event is in coordinator_tasks.cpp and
// coordinator_nodes.cpp, what NATS threads push in coordinator_intake.cpp.
#include "core/coordinator/coordinator.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/common/wall_time.h"

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
      metrics_(TEND_VERSION, seconds_since_epoch(std::chrono::system_clock::now())),
      loop_(*this, "event-loop", "coordinator", config_.limits.queue) {}

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
  loop_.start();
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
  loop_.stop();
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

void Coordinator::on_event(CoordinatorEvent& event) {
  std::visit([this](auto& e) { handle(e); }, event);
}

TaskTracker::Clock::time_point Coordinator::next_wake() const {
  auto now = TaskTracker::Clock::now();
  auto wake = now + kIdleWake;
  for (const auto& [id, task] : in_flight_) wake = std::min(wake, task.tracker.next_deadline(now));
  return wake;
}

void Coordinator::on_wake() {
  finish_due(TaskTracker::Clock::now());
  refresh_metrics(TaskTracker::Clock::now());
}

void Coordinator::on_stop() {
  if (!in_flight_.empty()) {
    spdlog::info("answering {} task(s) in flight with what they have so far", in_flight_.size());
  }
  while (!in_flight_.empty()) {
    finish(in_flight_.begin()->first, TaskEnding::kCoordinatorShuttingDown);
  }
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

}  // namespace tend
