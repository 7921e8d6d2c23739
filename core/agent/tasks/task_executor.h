// Runs accepted tasks on a fixed number of worker threads, at most
// `per_plugin_limit` of them for one plugin (0: no such limit). Tasks beyond
// either limit wait in a queue of at most `max_queued`; a task that finds it
// full is refused at once (the agent rejects it), never dropped silently and
// never queued without bound. A watchdog raises each task's cancel flag at
// its deadline, and on shutdown, so a runner can stop in time.
//
// Each thread has a condition of its own and is woken only when it has
// something to do: one worker per new task, the watchdog when a deadline
// comes (an idle agent's threads all sleep).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bus/codec.h"
#include "bus/expected.h"
#include "core/agent/tasks/task_runner.h"

namespace tend {

class TaskExecutor {
 public:
  struct Job {
    tend::Task task;
    std::string reply;  // where the requester waits, if anywhere
    Encoding encoding = Encoding::kProtobuf;
  };
  using Done = std::function<void(const Job&, tend::Result)>;

  TaskExecutor(TaskRunner& runner, std::string host, unsigned workers, unsigned per_plugin_limit,
               size_t max_queued, Done done);
  ~TaskExecutor();
  TaskExecutor(const TaskExecutor&) = delete;
  TaskExecutor& operator=(const TaskExecutor&) = delete;

  // Queues `job`, or says why not: the queue is full ("agent web-01: task
  // queue is full: the limit is 1000 waiting tasks ([plugins] max_queued)"),
  // or stop() has begun. A refused job is left as it was and gets no Done call.
  Expected<void> submit(Job&& job);

  // Takes no more jobs; gives queued and running ones `grace` to finish, then
  // cancels what is left. Every job still gets its Done call.
  void stop(std::chrono::milliseconds grace);

  unsigned running() const { return running_.load(); }

 private:
  struct Slot {
    std::atomic<bool> cancel{false};
    std::chrono::steady_clock::time_point deadline;
    bool timed_out = false;
  };

  void work();
  // The first queued job whose plugin is under its limit, or queue_.end().
  std::deque<Job>::iterator next_runnable();
  void watch();
  tend::Result execute(const Job& job, Slot& slot);

  TaskRunner& runner_;
  std::string host_;
  Done done_;

  mutable std::mutex mu_;
  std::condition_variable work_;      // workers: a job to take, or stopping
  std::condition_variable watch_;     // watchdog: an earlier deadline, or stopping
  std::condition_variable finished_;  // stop(): the last job is done
  std::chrono::steady_clock::time_point watch_until_{};  // when the watchdog wakes next
  std::deque<Job> queue_;
  size_t max_queued_;
  unsigned per_plugin_limit_;
  std::map<std::string, unsigned> running_per_plugin_;
  std::list<Slot*> slots_;  // running jobs, for the watchdog
  bool stopping_ = false;
  bool cancel_all_ = false;
  std::atomic<unsigned> running_{0};

  std::vector<std::thread> workers_;
  std::thread watchdog_;
};

}  // namespace tend
