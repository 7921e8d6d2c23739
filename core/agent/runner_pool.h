// Keeps a few tend-plugin-runner processes started and waiting, so a task
// gets a fresh isolated process without paying for exec and dynamic linking
// on its own clock. Each process serves one task and is never reused.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/agent/runner_process.h"

namespace tend {

class RunnerPool {
 public:
  RunnerPool(std::string runner_path, size_t spares);
  ~RunnerPool();
  RunnerPool(const RunnerPool&) = delete;
  RunnerPool& operator=(const RunnerPool&) = delete;

  // A waiting spare if there is one, else a process started now.
  Expected<std::unique_ptr<RunnerProcess>> take();

  // Hands back a process that has served its task; its exit is waited for
  // off the task's clock.
  void retire(std::unique_ptr<RunnerProcess> process);

  const std::string& runner_path() const { return runner_path_; }

 private:
  void refill();
  void reap();

  std::string runner_path_;
  size_t target_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<RunnerProcess>> spares_;
  std::chrono::steady_clock::time_point last_take_{};
  std::deque<std::unique_ptr<RunnerProcess>> retired_;
  bool stop_ = false;
  std::thread filler_;
  std::thread reaper_;
};

}  // namespace tend
