// One plugin runner child: a fresh process for exactly one task, in its own
// process group, so a plugin that crashes, hangs or eats memory takes down
// only itself. Forked by the runner zygote (runner_zygote.h) or, without
// one, spawned with posix_spawn: never a bare fork of the multi-threaded
// agent. Made ahead of need, so that a task does not wait for it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <tend/unique_fd.hpp>
#include <vector>

#include "bus/expected.h"
#include "schemas/runner.pb.h"

namespace tend {

struct RunnerOutcome {
  enum class End { kResponded, kCrashed, kExitedWithoutAnswer, kCancelled };
  End end = End::kExitedWithoutAnswer;
  tend::RunnerResponse response;  // valid for kResponded
  int signal = 0;                 // kCrashed: what killed it
  int exit_code = 0;              // kExitedWithoutAnswer
  double cpu_seconds = 0;         // user + system time the runner used, once it is reaped
  std::string stdout_text;        // bounded captures of what the plugin printed
  std::string stderr_text;
  bool output_truncated = false;
};

struct RunnerLimits {
  size_t capture_bytes = 64 * 1024;            // per stream
  std::chrono::milliseconds kill_grace{3000};  // SIGTERM, then this long, then SIGKILL
};

// The four pipes between the agent and one runner. The runner's ends
// become its fds 0 (the request), 1 and 2 (what the plugin prints) and 3
// (the answer); the agent keeps the others.
struct RunnerPipes {
  static Expected<RunnerPipes> open();

  UniqueFd request_read, request_write;
  UniqueFd answer_read, answer_write;
  UniqueFd stdout_read, stdout_write;
  UniqueFd stderr_read, stderr_write;

  // The runner's ends, in the order of its fds 0-3.
  std::vector<int> runner_ends() const {
    return {request_read.get(), stdout_write.get(), stderr_write.get(), answer_write.get()};
  }
};

class RunnerProcess {
 public:
  // Starts tend-plugin-runner afresh (exec and dynamic linking: milliseconds).
  static Expected<std::unique_ptr<RunnerProcess>> spawn(const std::string& runner_path);

  // A runner this process is the parent of, started some other way (forked
  // by the zygote), which holds the runner's ends of `pipes` by now.
  static std::unique_ptr<RunnerProcess> adopt(pid_t pid, RunnerPipes pipes);
  ~RunnerProcess();
  RunnerProcess(const RunnerProcess&) = delete;
  RunnerProcess& operator=(const RunnerProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Hands the runner its one task and waits for the answer or its end. When
  // `cancel` turns true the whole process group gets SIGTERM, then SIGKILL
  // after limits.kill_grace.
  // Returns as soon as the answer is in: a runner that answered waits for
  // finish() (or the destructor) to close its request pipe before it exits.
  RunnerOutcome run(const tend::RunnerRequest& request, const std::atomic<bool>& cancel,
                    const RunnerLimits& limits);

  // Lets the runner go (closes its request pipe), waits briefly for it to
  // exit, then kills what is left of its process group and reaps it.
  void finish();

 private:
  RunnerProcess(pid_t pid, UniqueFd in, UniqueFd answer, UniqueFd out, UniqueFd err)
      : pid_(pid),
        in_(std::move(in)),
        answer_(std::move(answer)),
        out_(std::move(out)),
        err_(std::move(err)) {}

  void kill_group(int sig) const;
  int reap();  // waits for the child; returns its wait status
  // waitpid() that also keeps the CPU time the child used in `cpu_seconds_`.
  pid_t wait_child(int* status, int options);

  pid_t pid_;
  bool reaped_ = false;
  double cpu_seconds_ = 0;
  UniqueFd in_, answer_, out_, err_;
};

}  // namespace tend
