#include "core/agent/agent.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include "bus/names.h"
#include "core/common/control_bounds.h"
#include "core/common/task_bounds.h"
#include "core/common/task_id.h"
#include "core/common/trace_point.h"
#include "core/common/wall_time.h"
#include "schemas/control.pb.h"
#include "schemas/progress.pb.h"

namespace tend {
namespace {

bool has_target(const tend::Task& task) {
  const auto& t = task.target();
  return t.all() || !t.hosts().empty() || !t.roles().empty() || !t.tags().empty();
}

}  // namespace

Agent::Agent(AgentConfig config, Connection& connection, TaskRunner& runner, Reloader reloader)
    : config_(std::move(config)),
      conn_(connection),
      replier_(connection, "agent"),
      runner_(runner),
      subjects_(config_.nats.subject_prefix),
      reloader_(std::move(reloader)),
      started_at_(google::protobuf::util::TimeUtil::GetCurrentTime()),
      metrics_({config_.identity.host, config_.identity.role, TEND_VERSION},
               seconds_since_epoch(started_at_)) {}

Agent::~Agent() { stop(std::chrono::milliseconds(0)); }

Expected<void> Agent::start() {
  outbox_ = std::make_unique<ResultOutbox>(conn_, subjects_);
  executor_ = std::make_unique<TaskExecutor>(
      runner_, config_.identity.host, config_.max_concurrent,
      config_.isolation.max_concurrent_per_plugin, config_.max_queued,
      [this](const TaskExecutor::Job& job, tend::Result result) {
        finish(job, std::move(result));
      });

  std::vector<std::string> subjects{subjects_.task_host(config_.identity.host),
                                    subjects_.task_role(config_.identity.role),
                                    subjects_.task_all()};
  for (const auto& tag : config_.identity.tags) subjects.push_back(subjects_.task_tag(tag));
  for (const auto& subject : subjects) {
    auto sub = conn_.subscribe(subject, [this](Message msg) { on_task(msg); });
    if (!sub) return sub.error();
    task_subs_.push_back(std::move(*sub));
  }

  for (const auto& subject : {subjects_.control(config_.identity.host), subjects_.control_all()}) {
    auto sub = conn_.subscribe(subject, [this](Message msg) { on_control(msg); });
    if (!sub) return sub.error();
    control_subs_.push_back(std::move(*sub));
  }

  heartbeat_ = std::make_unique<HeartbeatPublisher>(
      config_.heartbeat_interval, [this] { return make_heartbeat(); },
      [this](const tend::Heartbeat& hb) {
        if (auto ok = conn_.publish(subjects_.heartbeat(config_.identity.host), hb); !ok) {
          spdlog::warn("heartbeat not sent: {}", ok.error().message);
        }
      });
  metrics_file_ = TextfileExporter::start(config_.metrics.textfile_dir, "tend_agent",
                                          [this] { return metrics_text(); });
  spdlog::info("agent {} (role {}, {} tag(s)) listening; {} plugin(s) loaded",
               config_.identity.host, config_.identity.role, config_.identity.tags.size(),
               runner_.plugins().size());
  return {};
}

void Agent::stop(std::chrono::milliseconds grace) {
  if (!accepting_.exchange(false)) return;
  task_subs_.clear();  // no new tasks from here on
  control_subs_.clear();
  if (executor_) executor_->stop(grace);
  if (outbox_) outbox_->stop(std::chrono::seconds(5));
  metrics_.set_up(false);
  metrics_file_.reset();  // its last write says the agent stopped
  heartbeat_.reset();
  (void)conn_.flush(std::chrono::milliseconds(2000));
}

void Agent::on_task(const Message& msg) {
  if (!accepting_) return;
  trace_point("a.on_task");
  tend::Task task;
  if (auto ok = msg.decode(task); !ok) {
    spdlog::warn("task on {} refused: {}", msg.subject(), ok.error().message);
    return replier_.refuse(msg, fmt::format("{}: {}", config_.identity.host, ok.error().message));
  }
  if (task.id().empty()) task.set_id(derived_task_id(msg.subject(), msg.reply(), msg.data()));
  if (auto ok = check_name("task id", task.id()); !ok) {
    return replier_.refuse(msg, fmt::format("{}: {}", config_.identity.host, ok.error().message));
  }
  if (has_target(task) && !TargetMatcher(task.target()).matches(config_.identity)) {
    if (spdlog::should_log(spdlog::level::debug)) {  // a target may name thousands of hosts
      spdlog::debug("task {} is not for this node (target {})", task.id(),
                    TargetMatcher::describe(task.target()));
    }
    return;
  }
  // Before anything else looks at it: no param pattern, plugin or queue ever
  // sees a value past its bound.
  if (auto ok = check_task_bounds(task); !ok) {
    reject(task, msg, ok.error().message);
    return;
  }

  if (paused_) {
    std::lock_guard lock(pause_mu_);
    reject(task, msg, fmt::format("agent {} is paused {}", config_.identity.host, paused_why_));
    return;
  }

  auto seen = recent_.admit(task.id());
  if (seen.admission == RecentTasks::Admission::kRunning) return;
  if (seen.admission == RecentTasks::Admission::kDone) {
    publish_result(std::string(msg.reply()), msg.encoding(), *seen.result);
    return;
  }

  // Acknowledged either way: the coordinator counts this node as reachable.
  // For a task that runs, after handing it over, so that the worker (on
  // another core, if there is one) starts it while this thread publishes.
  tend::Progress ack;
  ack.set_task_id(task.id());
  ack.set_kind(tend::Progress::ACK);
  ack.set_host(config_.identity.host);
  const std::string progress_subject = subjects_.progress(task.id());
  std::string why = runner_.admit(task);
  if (why.empty()) why = maintenance_check(task);
  if (!why.empty()) {
    (void)conn_.publish(progress_subject, ack);
    reject(task, msg, why);
    return;
  }
  trace_point("a.admitted", task.id());
  TaskExecutor::Job job{std::move(task), std::string(msg.reply()), msg.encoding()};
  if (auto queued = executor_->submit(std::move(job)); !queued) {
    if (!accepting_) {
      spdlog::warn("task {} refused: {}", job.task.id(), queued.error().message);
      return;
    }
    (void)conn_.publish(progress_subject, ack);
    reject(job.task, msg, queued.error().message);
    return;
  }
  (void)conn_.publish(progress_subject, ack);
  trace_point("a.acked", ack.task_id());
}

// [maintenance]: risky plugins only inside the node's windows. The plugin's
// risk is what it declares; runner_.admit() has already refused unknown ones.
std::string Agent::maintenance_check(const tend::Task& task) const {
  if (!config_.maintenance.enabled()) return {};
  std::string risk;
  for (const auto& info : runner_.plugins()) {
    if (info.name() == task.plugin()) risk = info.risk();
  }
  std::string why = config_.maintenance.check(task, risk, clock_.now());
  if (why.empty() && task.force() && !task.approved_by().empty()) {
    spdlog::info("task {} ({}) forced, approved by {}", task.id(), task.plugin(),
                 task.approved_by());
  }
  return why;
}

void Agent::announce() {
  if (heartbeat_) heartbeat_->send_now();
}

std::string Agent::reload(const std::string& by) {
  std::string what = reloader_ ? reloader_() : "nothing to reload";
  {
    std::lock_guard lock(pause_mu_);
    reloaded_at_ = google::protobuf::util::TimeUtil::GetCurrentTime();
    reloaded_by_ = by;
    reload_outcome_ = what;
  }
  if (heartbeat_) heartbeat_->send_now();
  return what;
}

// Runs on the control subscription's own delivery thread, so a slow reload
// never holds up tasks.
void Agent::on_control(const Message& msg) {
  tend::Control control;
  tend::ControlReply reply;
  reply.set_host(config_.identity.host);
  if (auto ok = msg.decode(control); !ok) {
    reply.set_message(ok.error().message);
  } else if (auto bounded = check_control_bounds(control); !bounded) {
    reply.set_message(bounded.error().message);
  } else {
    reply.set_action(control.action());
    std::string who = control.by().empty() ? "an operator" : control.by();
    std::string why = control.reason().empty() ? "" : ": " + control.reason();
    if (control.action() == "pause") {
      std::lock_guard lock(pause_mu_);
      paused_why_ = fmt::format("(paused by {}{})", who, why);
      paused_ = true;
      reply.set_ok(true);
      reply.set_message("paused: new tasks are rejected until resume");
    } else if (control.action() == "resume") {
      paused_ = false;
      reply.set_ok(true);
      reply.set_message("resumed");
    } else if (control.action() == "reload") {
      reply.set_ok(true);
      reply.set_message(reload("control by " + who));
    } else {
      reply.set_message(
          fmt::format("unknown action '{}': use pause, resume or reload", control.action()));
    }
    if (reply.ok()) {
      spdlog::info("control {} by {}{}: {}", control.action(), who, why, reply.message());
      if (heartbeat_) heartbeat_->send_now();
    }
  }
  reply.set_paused(paused_);
  replier_.answer(msg, reply);
}

void Agent::reject(const tend::Task& task, const Message& msg, const std::string& why) {
  // A task refused for its plugin's name must not carry that name on.
  const std::string plugin = task.plugin().size() <= kMaxNameBytes ? task.plugin() : "";
  spdlog::warn("task {} ({}) rejected: {}", task.id(), plugin, why);
  tend::Result result;
  result.set_task_id(task.id());
  result.set_host(config_.identity.host);
  result.set_plugin(plugin);
  result.set_status(tend::REJECTED);
  result.set_error(why);
  result.set_summary(why);
  result.set_dry_run(task.dry_run());
  auto now = google::protobuf::util::TimeUtil::GetCurrentTime();
  *result.mutable_started_at() = now;
  *result.mutable_finished_at() = now;
  recent_.finish(result);
  metrics_.record(result);
  publish_result(std::string(msg.reply()), msg.encoding(), result);
}

// On the worker thread that ran the task, which may wait for the results
// stream's acknowledgement (never a NATS callback's thread).
void Agent::finish(const TaskExecutor::Job& job, tend::Result result) {
  trace_point("a.finish", job.task.id());
  recent_.finish(result);
  publish_result(job.reply, job.encoding, result, /*may_wait=*/true);
  metrics_.record(result);
  spdlog::info("task {} {} on {}: {} in {} ms", job.task.id(), job.task.plugin(),
               config_.identity.host, tend::Status_Name(result.status()), result.duration_ms());
}

void Agent::publish_result(const std::string& reply, Encoding encoding, const tend::Result& result,
                           bool may_wait) {
  if (!reply.empty()) {
    if (auto ok = conn_.publish(reply, result, encoding); !ok) {
      spdlog::warn("result for {} not sent to requester: {}", result.task_id(), ok.error().message);
    }
  }
  trace_point("a.replied", result.task_id());
  if (may_wait) {
    outbox_->send_here(result);
  } else {
    outbox_->send(result);
  }
}

tend::Heartbeat Agent::make_heartbeat() const {
  tend::Heartbeat hb;
  hb.set_host(config_.identity.host);
  hb.set_role(config_.identity.role);
  for (const auto& tag : config_.identity.tags) hb.add_tags(tag);
  for (auto& info : runner_.plugins()) *hb.add_plugins() = std::move(info);
  hb.set_agent_version(TEND_VERSION);
  hb.set_interval_s(static_cast<uint32_t>(config_.heartbeat_interval.count()));
  *hb.mutable_sent_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  *hb.mutable_started_at() = started_at_;
  hb.set_tasks_running(executor_ ? executor_->running() : 0);
  hb.set_paused(paused_);
  {
    std::lock_guard lock(pause_mu_);
    if (!reloaded_by_.empty()) {
      *hb.mutable_reloaded_at() = reloaded_at_;
      hb.set_reloaded_by(reloaded_by_);
      hb.set_reload_outcome(reload_outcome_);
    }
  }
  *hb.mutable_health() = health_.sample();
  return hb;
}

// On the metrics exporter's thread, before each render: the state right now.
std::string Agent::metrics_text() {
  std::vector<std::string> plugins;
  for (const auto& info : runner_.plugins()) plugins.push_back(info.name());
  metrics_.set_plugins(plugins);
  metrics_.set_paused(paused_);
  metrics_.set_tasks_running(executor_->running());
  return metrics_.render();
}

}  // namespace tend
