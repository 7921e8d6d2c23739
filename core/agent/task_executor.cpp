#include "core/agent/task_executor.h"

#include <algorithm>

#include <google/protobuf/util/time_util.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/common/trace_point.h"

namespace tend {
namespace {

constexpr uint32_t kDefaultTimeoutS = 300;
constexpr auto kWatchdogTick = std::chrono::milliseconds(20);

google::protobuf::Timestamp now_timestamp() {
  return google::protobuf::util::TimeUtil::GetCurrentTime();
}

}  // namespace

TaskExecutor::TaskExecutor(TaskRunner& runner, std::string host, unsigned workers,
                           unsigned per_plugin_limit, Done done)
    : runner_(runner),
      host_(std::move(host)),
      done_(std::move(done)),
      per_plugin_limit_(per_plugin_limit) {
  for (unsigned i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
  watchdog_ = std::thread([this] { watch(); });
}

TaskExecutor::~TaskExecutor() { stop(std::chrono::milliseconds(0)); }

bool TaskExecutor::submit(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    queue_.push_back(std::move(job));
  }
  // All, not one: the watchdog waits on the same condition and must not be
  // the only one woken for a new job.
  wake_.notify_all();
  return true;
}

void TaskExecutor::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mu_);
  if (!stopping_) {
    stopping_ = true;
    wake_.notify_all();
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  wake_.wait_until(lock, deadline, [this] { return queue_.empty() && slots_.empty(); });
  cancel_all_ = true;
  for (Slot* slot : slots_) slot->cancel = true;
  wake_.notify_all();
  lock.unlock();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  if (watchdog_.joinable()) watchdog_.join();
}

std::deque<TaskExecutor::Job>::iterator TaskExecutor::next_runnable() {
  if (per_plugin_limit_ == 0) return queue_.begin();
  return std::find_if(queue_.begin(), queue_.end(), [this](const Job& job) {
    return running_per_plugin_[job.task.plugin()] < per_plugin_limit_;
  });
}

void TaskExecutor::work() {
  for (;;) {
    std::unique_lock lock(mu_);
    wake_.wait(lock, [this] {
      return next_runnable() != queue_.end() || (stopping_ && queue_.empty());
    });
    if (queue_.empty()) return;  // stopping and nothing left
    auto it = next_runnable();
    Job job = std::move(*it);
    queue_.erase(it);
    ++running_per_plugin_[job.task.plugin()];
    Slot slot;
    uint32_t timeout_s = job.task.timeout_s() ? job.task.timeout_s() : kDefaultTimeoutS;
    slot.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    slot.cancel = cancel_all_;
    slots_.push_back(&slot);
    ++running_;
    lock.unlock();

    trace_point("a.worker", job.task.id());
    tend::Result result = execute(job, slot);
    trace_point("a.executed", job.task.id());

    lock.lock();
    slots_.remove(&slot);
    --running_per_plugin_[job.task.plugin()];
    --running_;
    lock.unlock();
    wake_.notify_all();  // stop() waits for the last slot to empty
    done_(job, std::move(result));
  }
}

tend::Result TaskExecutor::execute(const Job& job, Slot& slot) {
  auto started = now_timestamp();
  auto t0 = std::chrono::steady_clock::now();
  tend::Result result = runner_.run(job.task, slot.cancel);
  auto elapsed = std::chrono::steady_clock::now() - t0;

  bool timed_out;
  {
    std::lock_guard lock(mu_);
    timed_out = slot.timed_out;
  }
  if (timed_out) {
    result.set_status(tend::TIMED_OUT);
    result.set_error(fmt::format("plugin {} did not finish within {} s", job.task.plugin(),
                                 job.task.timeout_s() ? job.task.timeout_s() : kDefaultTimeoutS));
  } else if (slot.cancel) {
    result.set_status(tend::FAILED);
    result.set_error("cancelled: the agent was shutting down");
  }
  if (result.summary().empty() && !result.error().empty()) result.set_summary(result.error());
  result.set_task_id(job.task.id());
  result.set_host(host_);
  result.set_plugin(job.task.plugin());
  result.set_dry_run(job.task.dry_run());
  *result.mutable_started_at() = started;
  *result.mutable_finished_at() = now_timestamp();
  result.set_duration_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  return result;
}

void TaskExecutor::watch() {
  std::unique_lock lock(mu_);
  while (!(stopping_ && cancel_all_ && slots_.empty() && queue_.empty())) {
    auto now = std::chrono::steady_clock::now();
    for (Slot* slot : slots_) {
      if (!slot->cancel && now >= slot->deadline) {
        slot->timed_out = true;
        slot->cancel = true;
      }
    }
    wake_.wait_for(lock, kWatchdogTick);
  }
}

}  // namespace tend
