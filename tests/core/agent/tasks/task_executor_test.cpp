// The executor's promises: tasks beyond the limits wait, none is dropped, a
// full queue refuses the next task at once, a deadline cancels, and stopping
// still gives every task its result.
#include "core/agent/tasks/task_executor.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <set>

#include "tests/support/eventually.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

constexpr size_t kQueue = 1000;  // the default [plugins] max_queued

// Stands in for plugin execution (this tests the queue, not the plugins):
// each task sleeps `sleep_ms` unless cancelled, and the runner records how
// many ran at once.
class SleepingRunner : public TaskRunner {
 public:
  std::string admit(const tend::Task&) const override { return {}; }
  tend::Result run(const tend::Task& task, const std::atomic<bool>& cancel) override {
    {
      std::lock_guard lock(mu_);
      peak_ = std::max(peak_, ++running_);
      peak_by_plugin_[task.plugin()] =
          std::max(peak_by_plugin_[task.plugin()], ++by_plugin_[task.plugin()]);
    }
    auto ms = static_cast<int>(task.params().fields().at("sleep_ms").number_value());
    testing::eventually([&] { return cancel.load(); }, std::chrono::milliseconds(ms), 1ms);
    {
      std::lock_guard lock(mu_);
      --running_;
      --by_plugin_[task.plugin()];
    }
    tend::Result r;
    r.set_status(tend::SUCCEEDED);
    return r;
  }
  std::vector<tend::PluginInfo> plugins() const override { return {}; }

  std::mutex mu_;
  int running_ = 0, peak_ = 0;
  std::map<std::string, int> by_plugin_, peak_by_plugin_;
};

class Collected {
 public:
  void add(const TaskExecutor::Job& job, tend::Result r) {
    std::lock_guard lock(mu_);
    results_[job.task.id()] = std::move(r);
    cv_.notify_all();
  }
  bool wait_for(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return results_.size() >= n; });
  }
  tend::Result get(const std::string& id) {
    std::lock_guard lock(mu_);
    return results_.at(id);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, tend::Result> results_;
};

TaskExecutor::Job job(const std::string& id, const std::string& plugin, int sleep_ms,
                      uint32_t timeout_s = 0) {
  TaskExecutor::Job j;
  j.task.set_id(id);
  j.task.set_plugin(plugin);
  j.task.set_timeout_s(timeout_s);
  (*j.task.mutable_params()->mutable_fields())["sleep_ms"].set_number_value(sleep_ms);
  return j;
}

TEST(TaskExecutor, RunsNoMoreThanTheLimitAndDropsNothing) {
  SleepingRunner runner;
  Collected done;
  TaskExecutor executor(runner, "web-01", 2, 0, kQueue,
                        [&](const TaskExecutor::Job& j, tend::Result r) { done.add(j, r); });
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(executor.submit(job("t" + std::to_string(i), "a", 30)));
  ASSERT_TRUE(done.wait_for(6));
  EXPECT_EQ(runner.peak_, 2);
  auto r = done.get("t5");
  EXPECT_EQ(r.status(), tend::SUCCEEDED);
  EXPECT_EQ(r.host(), "web-01");
  EXPECT_EQ(r.task_id(), "t5");
  EXPECT_GE(r.duration_ms(), 25u);
}

TEST(TaskExecutor, APerPluginLimitQueuesThatPluginOnly) {
  SleepingRunner runner;
  Collected done;
  TaskExecutor executor(runner, "web-01", 4, 1, kQueue,
                        [&](const TaskExecutor::Job& j, tend::Result r) { done.add(j, r); });
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(executor.submit(job("a" + std::to_string(i), "a", 30)));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(executor.submit(job("b" + std::to_string(i), "b", 30)));
  ASSERT_TRUE(done.wait_for(6));
  EXPECT_EQ(runner.peak_by_plugin_["a"], 1);
  EXPECT_EQ(runner.peak_by_plugin_["b"], 1);
  EXPECT_EQ(runner.peak_, 2);
}

TEST(TaskExecutor, ATaskPastItsDeadlineIsTimedOut) {
  SleepingRunner runner;
  Collected done;
  TaskExecutor executor(runner, "web-01", 1, 0, kQueue,
                        [&](const TaskExecutor::Job& j, tend::Result r) { done.add(j, r); });
  ASSERT_TRUE(executor.submit(job("slow", "a", 60'000, /*timeout_s=*/1)));
  ASSERT_TRUE(done.wait_for(1, 5s));
  auto r = done.get("slow");
  EXPECT_EQ(r.status(), tend::TIMED_OUT);
  EXPECT_EQ(r.error(), "plugin a did not finish within 1 s");
}

TEST(TaskExecutor, StoppingCancelsWhatOutlivesTheGraceAndReportsEverything) {
  SleepingRunner runner;
  Collected done;
  TaskExecutor executor(runner, "web-01", 1, 0, kQueue,
                        [&](const TaskExecutor::Job& j, tend::Result r) { done.add(j, r); });
  ASSERT_TRUE(executor.submit(job("running", "a", 60'000)));
  ASSERT_TRUE(executor.submit(job("queued", "a", 10)));
  ASSERT_TRUE(testing::eventually([&] { return executor.running() == 1; }))
      << "the first task left the queue for the worker";
  executor.stop(100ms);
  EXPECT_FALSE(executor.submit(job("late", "a", 10)));
  ASSERT_TRUE(done.wait_for(2, 1s));
  EXPECT_EQ(done.get("running").status(), tend::FAILED);
  EXPECT_EQ(done.get("running").error(), "cancelled: the agent was shutting down");
  EXPECT_EQ(done.get("queued").status(), tend::FAILED);
}

TEST(TaskExecutor, AFullQueueRefusesTheNextTaskNamingTheLimit) {
  SleepingRunner runner;
  Collected done;
  TaskExecutor executor(runner, "web-01", 1, 0, /*max_queued=*/2,
                        [&](const TaskExecutor::Job& j, tend::Result r) { done.add(j, r); });
  ASSERT_TRUE(executor.submit(job("running", "a", 60'000)));
  testing::eventually([&] { return executor.running() != 0; }, 5s);
  ASSERT_EQ(executor.running(), 1u) << "the first task left the queue for the worker";
  ASSERT_TRUE(executor.submit(job("waits-1", "a", 10)));
  ASSERT_TRUE(executor.submit(job("waits-2", "a", 10))) << "just at the limit is accepted";

  auto refused = job("one-too-many", "a", 10);
  auto queued = executor.submit(std::move(refused));
  ASSERT_FALSE(queued);
  EXPECT_EQ(queued.error().message,
            "agent web-01: task queue is full: the limit is 2 waiting tasks ([plugins] "
            "max_queued)");
  EXPECT_EQ(refused.task.id(), "one-too-many") << "a refused job is left to its owner";
  executor.stop(0ms);
  ASSERT_TRUE(done.wait_for(3, 1s)) << "the accepted ones are all reported";
}

}  // namespace
}  // namespace tend
