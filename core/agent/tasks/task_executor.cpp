#include "core/agent/tasks/task_executor.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/common/thread_name.h"
#include "core/common/trace_point.h"

namespace tend {
namespace {

constexpr uint32_t kDefaultTimeoutS = 300;

google::protobuf::Timestamp now_timestamp() {
  return google::protobuf::util::TimeUtil::GetCurrentTime();
}

}  // namespace

TaskExecutor::TaskExecutor(TaskRunner& runner, std::string host, unsigned workers,
                           unsigned per_plugin_limit, size_t max_queued, Done done)
    : runner_(runner),
      host_(std::move(host)),
      done_(std::move(done)),
      max_queued_(max_queued),
      per_plugin_limit_(per_plugin_limit) {
  for (unsigned i = 0; i < workers; ++i) {
    workers_.emplace_back([this] {
      name_this_thread("task-worker");
      work();
    });
  }
  watchdog_ = std::thread([this] {
    name_this_thread("task-watchdog");
    watch();
  });
}

TaskExecutor::~TaskExecutor() { stop(std::chrono::milliseconds(0)); }

Expected<void> TaskExecutor::submit(Job&& job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return make_error(fmt::format("agent {} is shutting down", host_));
    if (queue_.size() >= max_queued_) {
      return make_error(
          fmt::format("agent {}: task queue is full: the limit is {} waiting tasks ([plugins] "
                      "max_queued)",
                      host_, max_queued_));
    }
    queue_.push_back(std::move(job));
  }
  work_.notify_one();
  return {};
}

void TaskExecutor::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mu_);
  if (!stopping_) {
    stopping_ = true;
    work_.notify_all();
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  finished_.wait_until(lock, deadline, [this] { return queue_.empty() && slots_.empty(); });
  cancel_all_ = true;
  for (Slot* slot : slots_) slot->cancel = true;
  work_.notify_all();
  watch_.notify_all();
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
    work_.wait(lock,
               [this] { return next_runnable() != queue_.end() || (stopping_ && queue_.empty()); });
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
    const bool sooner = slot.deadline < watch_until_;
    lock.unlock();
    if (sooner) watch_.notify_one();

    trace_point("a.worker", job.task.id());
    tend::Result result = execute(job, slot);
    trace_point("a.executed", job.task.id());

    lock.lock();
    slots_.remove(&slot);
    --running_per_plugin_[job.task.plugin()];
    --running_;
    // A job held back by the per-plugin limit may run now.
    const bool more = per_plugin_limit_ != 0 && !queue_.empty();
    const bool last = stopping_ && slots_.empty();
    lock.unlock();
    if (more) work_.notify_one();
    if (last) finished_.notify_all();
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
  result.set_duration_ms(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  return result;
}

// Sleeps until the earliest deadline of the running jobs (for ever while
// none runs); a worker that starts a job due sooner wakes it.
void TaskExecutor::watch() {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mu_);
  while (!(stopping_ && cancel_all_)) {
    auto now = Clock::now();
    watch_until_ = Clock::time_point::max();
    for (Slot* slot : slots_) {
      if (slot->cancel) continue;
      if (now >= slot->deadline) {
        slot->timed_out = true;
        slot->cancel = true;
      } else {
        watch_until_ = std::min(watch_until_, slot->deadline);
      }
    }
    if (watch_until_ == Clock::time_point::max()) {
      watch_.wait(lock);
    } else {
      watch_.wait_until(lock, watch_until_);
    }
  }
}

}  // namespace tend
