// tend-agent's runtime: listens on the subjects for its host, role, tags and
// "all", checks each task's target itself, acknowledges at once, runs the task
// through a TaskRunner and publishes one Result.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "bus/connection.h"
#include "bus/replier.h"
#include "bus/subjects.h"
#include "core/agent/config/agent_config.h"
#include "core/agent/tasks/recent_tasks.h"
#include "core/agent/tasks/result_outbox.h"
#include "core/agent/tasks/task_executor.h"
#include "core/agent/tasks/task_runner.h"
#include "core/agent/telemetry/agent_metrics.h"
#include "core/agent/telemetry/health_sampler.h"
#include "core/agent/telemetry/heartbeat_publisher.h"
#include "core/common/textfile_exporter.h"
#include "core/common/wall_clock.h"

namespace tend {

class Agent {
 public:
  // Reloads the plugins and says what changed, for `reload` on tend.control.
  using Reloader = std::function<std::string()>;

  Agent(AgentConfig config, Connection& connection, TaskRunner& runner, Reloader reloader);
  ~Agent();

  Expected<void> start();

  // Stops taking tasks, gives running ones `grace` to finish, cancels the
  // rest, publishes every result, then drains the connection.
  void stop(std::chrono::milliseconds grace);

  // Reloads plugins (SIGHUP or a control message) and re-announces them,
  // with who asked for it, for the audit trail.
  std::string reload(const std::string& by = "SIGHUP");

  // Sends a heartbeat now, e.g. once NATS is back after an outage, so the
  // coordinator knows at once that this node hears tasks again. Never blocks.
  void announce();

 private:
  void on_task(const Message& msg);
  void on_control(const Message& msg);
  void finish(const TaskExecutor::Job& job, tend::Result result);
  // `may_wait`: the caller's thread may wait for the results stream (not a
  // NATS callback's).
  void publish_result(const std::string& reply, Encoding encoding, const tend::Result& result,
                      bool may_wait = false);
  void reject(const tend::Task& task, const Message& msg, const std::string& why);
  std::string maintenance_check(const tend::Task& task) const;
  tend::Heartbeat make_heartbeat() const;
  std::string metrics_text();

  AgentConfig config_;
  Connection& conn_;
  Replier replier_;
  TaskRunner& runner_;
  Subjects subjects_;
  Reloader reloader_;
  RecentTasks recent_;
  SystemWallClock clock_;  // for [maintenance] windows
  google::protobuf::Timestamp started_at_;
  std::atomic<bool> accepting_{true};
  std::atomic<bool> paused_{false};
  mutable std::mutex pause_mu_;
  std::string paused_why_;                   // "by oncall: disk replacement"
  google::protobuf::Timestamp reloaded_at_;  // guarded by pause_mu_, with the two below
  std::string reloaded_by_;
  std::string reload_outcome_;

  std::unique_ptr<ResultOutbox> outbox_;
  std::unique_ptr<TaskExecutor> executor_;
  std::vector<std::unique_ptr<Subscription>> task_subs_;
  std::vector<std::unique_ptr<Subscription>> control_subs_;
  mutable HealthSampler health_;
  std::unique_ptr<HeartbeatPublisher> heartbeat_;

  AgentMetrics metrics_;
  std::unique_ptr<TextfileExporter> metrics_file_;  // none when metrics are off
};

}  // namespace tend
