#include "core/agent/runner_pool.h"

#include <spdlog/spdlog.h>

namespace tend {
namespace {
constexpr auto kRetryAfterSpawnFailure = std::chrono::seconds(5);
// Starting a runner costs milliseconds of CPU. Replacements wait until the
// agent has taken no runner for this long, so a burst of tasks (or, on one
// test machine, a hundred agents answering one fan-out) is not slowed by
// the replacements it causes.
constexpr auto kRefillQuietPeriod = std::chrono::milliseconds(100);
}  // namespace

RunnerPool::RunnerPool(std::string runner_path, size_t spares)
    : runner_path_(std::move(runner_path)), target_(spares) {
  filler_ = std::thread([this] { refill(); });
  reaper_ = std::thread([this] { reap(); });
}

RunnerPool::~RunnerPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  filler_.join();
  reaper_.join();
  spares_.clear();
  retired_.clear();
}

Expected<std::unique_ptr<RunnerProcess>> RunnerPool::take() {
  {
    std::lock_guard lock(mu_);
    if (!spares_.empty()) {
      auto process = std::move(spares_.front());
      spares_.pop_front();
      last_take_ = std::chrono::steady_clock::now();
      wake_.notify_all();
      return process;
    }
  }
  wake_.notify_all();
  return RunnerProcess::spawn(runner_path_);
}

void RunnerPool::retire(std::unique_ptr<RunnerProcess> process) {
  {
    std::lock_guard lock(mu_);
    retired_.push_back(std::move(process));
  }
  wake_.notify_all();
}

void RunnerPool::reap() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || !retired_.empty(); });
    if (retired_.empty()) return;  // stopping, nothing left
    auto process = std::move(retired_.front());
    retired_.pop_front();
    lock.unlock();
    process->finish();
    process.reset();
    lock.lock();
  }
}

void RunnerPool::refill() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (spares_.size() >= target_) {
      wake_.wait(lock, [this] { return stop_ || spares_.size() < target_; });
      continue;
    }
    auto quiet_until = last_take_ + kRefillQuietPeriod;
    if (!spares_.empty() && std::chrono::steady_clock::now() < quiet_until) {
      wake_.wait_until(lock, quiet_until);
      continue;
    }
    lock.unlock();
    auto process = RunnerProcess::spawn(runner_path_);
    lock.lock();
    if (process) {
      spares_.push_back(std::move(*process));
    } else {
      spdlog::error("{}; retrying in {} s", process.error().message,
                    kRetryAfterSpawnFailure.count());
      wake_.wait_for(lock, kRetryAfterSpawnFailure, [this] { return stop_; });
    }
  }
}

}  // namespace tend
