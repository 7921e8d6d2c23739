#include "core/agent/runner/runner_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/common/thread_name.h"

namespace tend {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kRetryAfterFailure = std::chrono::seconds(5);
// Making a runner costs CPU (a fork from the zygote; milliseconds without
// one), and replacing the zygote more. Both wait until the agent has taken
// no runner for this long, so a burst of tasks (or, on one test machine, a
// hundred agents answering one fan-out) is not slowed by what it causes.
constexpr auto kQuietPeriod = std::chrono::milliseconds(100);
// But a steady stream of tasks (one every 50 ms, say) is never quiet, and
// each of its tasks would load its plugin itself for as long as the zygote
// lacks it: a zygote this stale is replaced even then.
constexpr auto kStaleAtMost = std::chrono::seconds(1);
// Runners that answered are let go (and their exit, which costs about as
// much CPU as a small task, paid) once things are quiet too; at most this
// many wait for that.
constexpr size_t kMaxLingering = 8;

}  // namespace

RunnerPool::RunnerPool(std::string runner_path, size_t spares)
    : runner_path_(std::move(runner_path)), target_(spares) {
  filler_ = std::thread([this] {
    name_this_thread("runner-filler");
    refill();
  });
  reaper_ = std::thread([this] {
    name_this_thread("runner-reaper");
    reap();
  });
}

RunnerPool::~RunnerPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  filler_wake_.notify_all();
  reaper_wake_.notify_all();
  filler_.join();
  reaper_.join();
  spares_.clear();
  retired_.clear();
  zygote_.reset();
}

void RunnerPool::set_plugins(std::vector<std::filesystem::path> plugins) {
  std::shared_ptr<RunnerZygote> old;
  {
    std::lock_guard lock(mu_);
    ++generation_;
    plugins_ = {plugins.begin(), plugins.end()};
    std::erase_if(wanted_, [this](const auto& path) { return !plugins_.contains(path); });
    left_out_.clear();  // a reload is the time to try them again
    old = std::move(zygote_);
    zygote_retry_at_ = {};
    for (auto& spare : spares_) retired_.push_back(std::move(spare.process));
    spares_.clear();
  }
  filler_wake_.notify_all();
  reaper_wake_.notify_all();
  // `old` goes here, off the lock: it exits; the runners it made live on.
}

bool RunnerPool::zygote_current() const { return zygote_ && zygote_wanted_ == wanted_.size(); }

bool RunnerPool::wait_for_zygote(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return zygote_ready_.wait_for(lock, timeout, [this] { return zygote_current(); });
}

std::vector<std::filesystem::path> RunnerPool::preloaded() const {
  std::lock_guard lock(mu_);
  return zygote_ ? zygote_->preloaded() : std::vector<std::filesystem::path>{};
}

pid_t RunnerPool::zygote_pid() const {
  std::lock_guard lock(mu_);
  return zygote_ ? zygote_->pid() : 0;
}

Expected<std::unique_ptr<RunnerProcess>> RunnerPool::make(
    const std::shared_ptr<RunnerZygote>& zygote) {
  if (zygote) {
    auto forked = zygote->fork_runner();
    if (forked) return forked;
    spdlog::error("{}; starting runners afresh until it is replaced", forked.error().message);
    {
      std::lock_guard lock(mu_);
      if (zygote_ == zygote) zygote_.reset();
    }
    filler_wake_.notify_all();  // it starts another
  }
  return RunnerProcess::spawn(runner_path_);
}

Expected<std::unique_ptr<RunnerProcess>> RunnerPool::take(const std::filesystem::path& plugin) {
  std::shared_ptr<RunnerZygote> zygote;
  {
    std::unique_lock lock(mu_);
    last_take_ = Clock::now();
    if (!plugin.empty() && plugins_.contains(plugin) && !left_out_.contains(plugin) &&
        std::find(wanted_.begin(), wanted_.end(), plugin) == wanted_.end()) {
      if (zygote_current()) stale_since_ = last_take_;
      wanted_.push_back(plugin);  // the filler replaces the zygote once things are quiet
    }
    if (!spares_.empty()) {
      auto process = std::move(spares_.front().process);
      spares_.pop_front();
      lock.unlock();
      filler_wake_.notify_one();
      return process;
    }
    zygote = zygote_;
  }
  filler_wake_.notify_one();
  return make(zygote);
}

void RunnerPool::retire(std::unique_ptr<RunnerProcess> process) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    retired_.push_back(std::move(process));
    wake = retired_.size() == 1 || retired_.size() > kMaxLingering;
  }
  if (wake) reaper_wake_.notify_one();
}

void RunnerPool::reap() {
  std::unique_lock lock(mu_);
  for (;;) {
    reaper_wake_.wait(lock, [this] { return stop_ || !retired_.empty(); });
    if (retired_.empty()) return;  // stopping, nothing left
    if (!stop_ && retired_.size() <= kMaxLingering && Clock::now() < last_take_ + kQuietPeriod) {
      reaper_wake_.wait_until(lock, last_take_ + kQuietPeriod);
      continue;
    }
    auto process = std::move(retired_.front());
    retired_.pop_front();
    lock.unlock();
    process->finish();
    process.reset();
    lock.lock();
  }
}

// On the filler thread, with `lock` held: starts a zygote with every plugin
// wanted so far (unlocked while it loads them) and puts it in place.
void RunnerPool::replace_zygote(std::unique_lock<std::mutex>& lock) {
  const auto wanted = wanted_;
  const uint64_t generation = generation_;
  lock.unlock();
  auto started = RunnerZygote::start(runner_path_, wanted);
  std::shared_ptr<RunnerZygote> old;
  lock.lock();
  if (!started) {
    spdlog::error("{}; runners start afresh, and the zygote is tried again in {} s",
                  started.error().message, kRetryAfterFailure.count());
    zygote_retry_at_ = Clock::now() + kRetryAfterFailure;
    return;
  }
  if (generation != generation_) {  // a reload came meanwhile: start again
    old = std::move(*started);
  } else {
    old = std::move(zygote_);  // its spares stay: their plugins load per task
    zygote_ = std::move(*started);
    zygote_wanted_ = wanted.size();
    for (const auto& left : zygote_->left_out()) {
      spdlog::warn("runner zygote: {}", left.why);
      left_out_.insert(left.plugin);
    }
    // What was left out is wanted no more, so the zygote counts as current.
    std::erase_if(wanted_, [this](const auto& path) { return left_out_.contains(path); });
    zygote_wanted_ -= std::min(zygote_wanted_, zygote_->left_out().size());
    spdlog::debug("runner zygote (pid {}) ready with {} plugin(s) loaded ahead", zygote_->pid(),
                  zygote_->preloaded().size());
    zygote_ready_.notify_all();
  }
  lock.unlock();
  old.reset();
  lock.lock();
}

void RunnerPool::refill() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const auto now = Clock::now();
    if (!zygote_ && now >= zygote_retry_at_) {
      replace_zygote(lock);
      continue;
    }
    if (zygote_ && !zygote_current()) {
      const auto due = std::min(last_take_ + kQuietPeriod, stale_since_ + kStaleAtMost);
      if (now >= due) {
        replace_zygote(lock);
      } else {
        filler_wake_.wait_until(lock, due);
      }
      continue;
    }
    if (spares_.size() >= target_) {
      if (zygote_) {
        filler_wake_.wait(
            lock, [this] { return stop_ || spares_.size() < target_ || !zygote_current(); });
      } else {  // until the zygote is due to be tried again, or a reload
        const auto retry_at = zygote_retry_at_;
        filler_wake_.wait_until(lock, retry_at, [&] {
          return stop_ || spares_.size() < target_ || zygote_retry_at_ != retry_at;
        });
      }
      continue;
    }
    if (!spares_.empty() && now < last_take_ + kQuietPeriod) {
      filler_wake_.wait_until(lock, last_take_ + kQuietPeriod);
      continue;
    }
    const auto zygote = zygote_;
    const uint64_t generation = generation_;
    lock.unlock();
    auto process = make(zygote);
    lock.lock();
    if (!process) {
      spdlog::error("{}; retrying in {} s", process.error().message, kRetryAfterFailure.count());
      filler_wake_.wait_for(lock, kRetryAfterFailure, [this] { return stop_; });
    } else if (generation == generation_) {
      spares_.push_back({generation, std::move(*process)});
    } else {
      retired_.push_back(std::move(*process));  // made for the plugins before a reload
      reaper_wake_.notify_one();
    }
  }
}

}  // namespace tend
