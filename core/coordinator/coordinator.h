// tend-coordinator's runtime: takes tasks on tend.submit, dispatches them on
// the narrowest subjects, gathers acknowledgements and results, and answers
// with one Summary. It also follows tasks operators publish straight to
// tend.task.*, keeps the node registry from heartbeats and answers tend.nodes.
//
// NATS callbacks only decode and push an event; one event-loop thread owns all
// state (registry, trackers) and wakes for deadlines, so the state needs no
// locks and a slow step never turns a subscription into a slow consumer.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bus/connection.h"
#include "bus/replier.h"
#include "bus/subjects.h"
#include "core/common/actor.h"
#include "core/common/textfile_exporter.h"
#include "core/coordinator/coordinator_config.h"
#include "core/coordinator/coordinator_events.h"
#include "core/coordinator/dispatch/dispatcher.h"
#include "core/coordinator/dispatch/task_origin.h"
#include "core/coordinator/early_arrivals.h"
#include "core/coordinator/metrics/coordinator_metrics.h"
#include "core/coordinator/node_registry.h"
#include "core/coordinator/task_tracker.h"
#include "core/coordinator/throttled_warning.h"
#include "core/store/recovery.h"
#include "core/store/task_store.h"

namespace tend {

// Stable across restarts, so a restarted coordinator finds its own tasks in
// the store: [coordinator] name, else "tend-coordinator@<short hostname>".
std::string coordinator_name(const CoordinatorConfig& config);

class Coordinator final : public Dispatcher, private Actor<CoordinatorEvent>::Owner {
 public:
  // With `durable_results`, results reach the store through the JetStream
  // stream (ResultIngest) rather than from what this coordinator hears.
  Coordinator(CoordinatorConfig config, Connection& connection, store::TaskStore& store,
              bool durable_results = false);
  ~Coordinator() override;
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // What the store had: nodes last seen and tasks to finish. Before start().
  void restore(const store::RecoveredState& state);

  // Starts the event loop and subscribes.
  Expected<void> start();

  // Results the store committed for the first time; from any thread.
  void results_stored(std::vector<tend::Result> results);

  // Dispatcher: a task of the coordinator's own (origin alert or schedule),
  // and which hosts a target means (the loop answers within two seconds).
  void submit_internal(tend::Task task, TaskOrigin origin,
                       std::function<void(const tend::Summary&)> done) override;
  std::vector<std::string> expected_hosts(const tend::Target& target) override;

  // Called on the event loop for every control message operators send to
  // agents (pause, resume, reload). Add before start().
  using ControlObserver = std::function<void(const std::string& subject, const tend::Control&)>;
  void observe_control(ControlObserver observer) {
    control_observers_.push_back(std::move(observer));
  }

  // This coordinator's name, as it marks its tasks.
  const std::string& name() const { return name_; }

  // Stops taking submits (another coordinator in the group gets them), answers
  // every task in flight with its summary so far, marked incomplete, and stops
  // the event loop. Then drain the connection, and only then destroy the
  // Coordinator: its remaining subscriptions go with the drain instead of
  // each waiting for a server that may be gone.
  void stop();

  // For the result store and approvals to report their figures (thread-safe).
  CoordinatorMetrics& metrics() { return metrics_; }

 private:
  // coordinator_intake.cpp, on NATS delivery threads: decode, push, nothing more.
  void on_submit(const Message& msg);
  void on_heartbeat(const Message& msg);
  void on_result(const Message& msg);
  void on_progress(const Message& msg);
  void on_task(const Message& msg);
  void on_nodes(const Message& msg);
  void on_control(const Message& msg);
  // Into the loop, if the queue has room; else the message is refused (a
  // request gets the reason as an ErrorReply) and counted.
  bool enqueue(CoordinatorEvent event, const Message& msg);
  Expected<std::unique_ptr<Subscription>> subscribe(const std::string& subject,
                                                    void (Coordinator::*handler)(const Message&),
                                                    const char* queue = "");

  // The event loop (Actor::Owner): each event, the deadlines, the stop.
  void on_event(CoordinatorEvent& event) override;
  TaskTracker::Clock::time_point next_wake() const override;
  void on_wake() override;
  // Answers every task in flight with its summary so far.
  void on_stop() override;
  void refresh_metrics(TaskTracker::Clock::time_point now);

  // coordinator_nodes.cpp: the registry, and what operators tell agents.
  void handle(HeartbeatReceived& event);
  void handle(NodesRequested& event);
  void handle(HostsQuery& event);
  void handle(ControlSeen& event);

  // coordinator_tasks.cpp: tasks from dispatch to summary.
  void handle(SubmitReceived& event);
  void handle(TaskPublished& event);
  void handle(InternalSubmit& event);
  void handle(AckReceived& event);
  void handle(ResultReceived& event);
  void handle(ResultsStored& event);
  void dispatch(tend::Task task, const Requester& from, TaskOrigin origin = TaskOrigin::kSubmit,
                std::function<void(const tend::Summary&)> done = {});
  void track(tend::Task task, std::vector<std::string> expected, TaskOrigin origin,
             std::string audience, Requester requester);
  void record(const tend::Result& result);
  void audit(const std::string& actor, std::string action, const tend::Task& task,
             std::string target, nlohmann::json detail);
  void finish_due(TaskTracker::Clock::time_point now);
  void finish(const std::string& task_id, TaskEnding ending);
  // Room for one more task in flight, or why not ("coordinator busy: ...").
  Expected<void> room_for_task();

  struct InFlight {
    TaskTracker tracker;
    Requester requester;  // no reply subject when nobody waits for the summary
    TaskOrigin origin;
    std::function<void(const tend::Summary&)> done;  // for the coordinator's own tasks
  };

  CoordinatorConfig config_;
  Connection& conn_;
  Replier replier_;
  store::TaskStore& store_;
  bool durable_results_;
  Subjects subjects_;
  std::string name_;  // marks the tasks this coordinator dispatched
  std::atomic<bool> running_{false};
  std::atomic<bool> taking_submits_{false};

  // Owned by the event loop thread alone.
  NodeRegistry registry_;
  std::map<std::string, InFlight> in_flight_;
  std::vector<ControlObserver> control_observers_;
  EarlyArrivals early_;
  TaskTracker::Clock::time_point nodes_counted_at_{};

  CoordinatorMetrics metrics_;
  ThrottledWarning queue_full_;                     // NATS messages the event queue had no room for
  ThrottledWarning table_full_;                     // tasks and nodes past [limits]
  ThrottledWarning bad_input_;                      // messages past a bound of their own
  std::unique_ptr<TextfileExporter> metrics_file_;  // none when metrics are off

  Actor<CoordinatorEvent> loop_;  // the event loop's thread and queue
  // Declared last, destroyed first: no callback runs once the rest goes.
  std::unique_ptr<Subscription> submit_sub_;
  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace tend
