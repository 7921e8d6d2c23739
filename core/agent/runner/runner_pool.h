// Keeps a few runner processes made and waiting, so that a task gets a fresh
// isolated process without waiting for one. Runners are forked by the runner
// zygote (runner_zygote.h); while there is none (it is starting, or it died
// and is being replaced) they are started afresh from tend-plugin-runner.
// Each process serves one task and is never reused.
//
// The zygote loads ahead the plugins tasks have used: every plugin it holds
// makes each fork dearer (its libraries are mapped in every runner), so a
// node that only ever cleans disks does not pay for the database plugin.
// The first task of a plugin loads it in its own runner; the zygote is then
// replaced, off the task's clock, by one that has it loaded too.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/agent/runner/runner_process.h"
#include "core/agent/runner/runner_zygote.h"

namespace tend {

class RunnerPool {
 public:
  RunnerPool(std::string runner_path, size_t spares);
  ~RunnerPool();
  RunnerPool(const RunnerPool&) = delete;
  RunnerPool& operator=(const RunnerPool&) = delete;

  // The plugins there are, as resolved paths (PluginCatalog::paths()): at
  // start and after every reload. The zygote is replaced and the spares are
  // let go, so no task runs a plugin as it was before the reload; plugins
  // that tasks used and that are still there are loaded ahead again.
  void set_plugins(std::vector<std::filesystem::path> plugins);

  // A waiting spare if there is one, else a process made now, for a task of
  // the plugin at `plugin` (empty: none in particular).
  Expected<std::unique_ptr<RunnerProcess>> take(const std::filesystem::path& plugin = {});

  // Hands back a process that has served its task; its exit is waited for
  // off the task's clock.
  void retire(std::unique_ptr<RunnerProcess> process);

  // True once the zygote has every plugin taken so far loaded ahead (for
  // tests and the bench; tasks never wait for it).
  bool wait_for_zygote(std::chrono::milliseconds timeout);

  // The plugins the zygote has loaded ahead (empty without a zygote).
  std::vector<std::filesystem::path> preloaded() const;
  // 0 without a zygote.
  pid_t zygote_pid() const;

  const std::string& runner_path() const { return runner_path_; }

 private:
  struct Spare {
    uint64_t generation;
    std::unique_ptr<RunnerProcess> process;
  };

  // Forks from `zygote` when there is one, else starts a runner afresh.
  Expected<std::unique_ptr<RunnerProcess>> make(const std::shared_ptr<RunnerZygote>& zygote);
  bool zygote_current() const;  // with mu_ held
  void replace_zygote(std::unique_lock<std::mutex>& lock);
  void refill();
  void reap();

  std::string runner_path_;
  size_t target_;
  mutable std::mutex mu_;
  std::condition_variable filler_wake_;
  std::condition_variable reaper_wake_;
  std::condition_variable zygote_ready_;
  std::deque<Spare> spares_;
  std::chrono::steady_clock::time_point last_take_{};
  std::deque<std::unique_ptr<RunnerProcess>> retired_;

  // `generation_` counts set_plugins() calls: a spare made before one is
  // stale. Within a generation, `wanted_` only grows, in the order tasks
  // first used each plugin, and the zygote is current when it was started
  // with all of it.
  uint64_t generation_ = 0;
  std::set<std::filesystem::path> plugins_;
  std::vector<std::filesystem::path> wanted_;
  std::set<std::filesystem::path> left_out_;  // crashed, hung or threaded in a zygote
  std::shared_ptr<RunnerZygote> zygote_;
  size_t zygote_wanted_ = 0;  // how much of `wanted_` the zygote was started with
  std::chrono::steady_clock::time_point stale_since_{};  // when the zygote stopped being current
  std::chrono::steady_clock::time_point zygote_retry_at_{};
  bool stop_ = false;
  std::thread filler_;
  std::thread reaper_;
};

}  // namespace tend
