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
#include <string>
#include <thread>
#include <vector>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/common/textfile_exporter.h"
#include "core/coordinator/coordinator_config.h"
#include "core/coordinator/coordinator_events.h"
#include "core/coordinator/coordinator_metrics.h"
#include "core/coordinator/early_arrivals.h"
#include "core/coordinator/event_queue.h"
#include "core/coordinator/node_registry.h"
#include "core/coordinator/task_origin.h"
#include "core/coordinator/task_store.h"
#include "core/coordinator/task_tracker.h"

namespace tend {

class Coordinator {
 public:
  // Coordinators share tend.submit, tend.nodes and directly published tasks
  // through this queue group, so running two spreads the load.
  static constexpr const char* kQueueGroup = "tend-coordinator";

  Coordinator(CoordinatorConfig config, Connection& connection, TaskStore& store);
  ~Coordinator();
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // Starts the event loop and subscribes.
  Expected<void> start();

  // Stops taking submits (another coordinator in the group gets them), answers
  // every task in flight with its summary so far, marked incomplete, and stops
  // the event loop. Then drain the connection, and only then destroy the
  // Coordinator: its remaining subscriptions go with the drain instead of
  // each waiting for a server that may be gone.
  void stop();

  // For the result store and approvals to report their figures (thread-safe).
  CoordinatorMetrics& metrics() { return metrics_; }

 private:
  // On NATS delivery threads: decode, push, nothing more.
  void on_submit(const Message& msg);
  void on_heartbeat(const Message& msg);
  void on_result(const Message& msg);
  void on_progress(const Message& msg);
  void on_task(const Message& msg);
  void on_nodes(const Message& msg);
  Expected<std::unique_ptr<Subscription>> subscribe(const std::string& subject,
                                                    void (Coordinator::*handler)(const Message&),
                                                    const char* queue = "");

  // On the event loop thread.
  void run();
  void handle(SubmitReceived& event);
  void handle(HeartbeatReceived& event);
  void handle(ResultReceived& event);
  void handle(AckReceived& event);
  void handle(TaskPublished& event);
  void handle(NodesRequested& event);
  void handle(StopRequested& event);
  void dispatch(tend::Task task, const Requester& from);
  void track(tend::Task task, std::vector<std::string> expected, std::string audience,
             Requester requester, TaskOrigin origin);
  void finish_due(TaskTracker::Clock::time_point now);
  void finish(const std::string& task_id, TaskEnding ending);
  TaskTracker::Clock::time_point next_wake() const;
  void refresh_metrics(TaskTracker::Clock::time_point now);
  void answer(const Requester& to, const google::protobuf::Message& message);
  void refuse(const Requester& to, const std::string& why);

  struct InFlight {
    TaskTracker tracker;
    Requester requester;  // no reply subject when nobody waits for the summary
    TaskOrigin origin;
  };

  CoordinatorConfig config_;
  Connection& conn_;
  TaskStore& store_;
  Subjects subjects_;
  std::string name_;  // marks the tasks this coordinator dispatched
  std::atomic<bool> running_{false};
  std::atomic<bool> taking_submits_{false};
  EventQueue<CoordinatorEvent> events_;

  // Owned by the event loop thread alone.
  NodeRegistry registry_;
  std::map<std::string, InFlight> in_flight_;
  EarlyArrivals early_;
  bool loop_done_ = false;
  TaskTracker::Clock::time_point nodes_counted_at_{};

  CoordinatorMetrics metrics_;
  std::unique_ptr<TextfileExporter> metrics_file_;  // none when metrics are off

  std::thread loop_;
  // Declared last, destroyed first: no callback runs once the rest goes.
  std::unique_ptr<Subscription> submit_sub_;
  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace tend
