// A program a test starts and owns: fork + exec with an argv (no shell),
// stdin from /dev/null (or a file), stdout and stderr to log files. The child leads its
// own process group, so whatever it starts in turn (plugin runners) is
// killed with it when the ChildProcess goes away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"

namespace tend::testing {

class ChildProcess {
 public:
  // Starts argv[0] (a path, or a name looked up in PATH). stderr goes to
  // `stderr_log`, or with stdout into `log` when that is empty; stdin comes
  // from `input`, or /dev/null when that is empty.
  static Expected<ChildProcess> start(const std::vector<std::string>& argv,
                                      const std::filesystem::path& log,
                                      const std::filesystem::path& stderr_log = {},
                                      const std::filesystem::path& input = {});

  ~ChildProcess();  // SIGKILL to the whole group when still running
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();

  // The exit code once it has ended (128 + N when killed by signal N), or
  // nullopt when it is still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  // SIGTERM, then waits up to `timeout`; SIGKILL when that was not enough.
  // Returns the exit code as wait_exit does.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  // SIGKILL to this process only (not its children), and reaps it.
  void kill9();

  // What it wrote so far: stdout (with stderr unless that was separated).
  std::string log() const;
  std::string stderr_log() const;

  // argv joined with spaces, for messages.
  const std::string& command() const { return command_; }

 private:
  ChildProcess(pid_t pid, std::filesystem::path log, std::filesystem::path stderr_log,
               std::string command)
      : pid_(pid),
        log_(std::move(log)),
        stderr_log_(std::move(stderr_log)),
        command_(std::move(command)) {}
  void reap_blocking();
  void release();

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path log_;
  std::filesystem::path stderr_log_;
  std::string command_;
};

// A program run to completion, as a test of a command-line tool needs it.
struct Completed {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv with its output in `dir`/`name`.{out,err} and stdin from `input`
// (/dev/null when empty). An error when it does not end within `timeout` (it
// is killed then).
Expected<Completed> run_to_completion(const std::vector<std::string>& argv,
                                      const std::filesystem::path& dir, const std::string& name,
                                      std::chrono::milliseconds timeout,
                                      const std::filesystem::path& input = {});

// Where `program` is on PATH, or an empty path when it is nowhere there.
std::filesystem::path find_on_path(const std::string& program);

}  // namespace tend::testing
