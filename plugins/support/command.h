// Runs a program for a built-in plugin: fork + exec of an argv, never through
// a shell, in its own process group, with stdout and stderr captured up to a
// bound, and stopped (SIGTERM, then SIGKILL to the whole group) at its
// timeout or as soon as the task is cancelled.
//
// Plugins run in tend-plugin-runner, a single-threaded process, so forking
// here is safe; do not use this from a multi-threaded program.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace tend::plugins {

struct CommandSpec {
  // argv[0] is an absolute path, or a name looked up in PATH.
  std::vector<std::string> argv;
  // Added to (or replacing in) the runner's environment: "KEY=value".
  std::vector<std::string> env;
  std::string working_dir;               // empty: the runner's
  std::chrono::milliseconds timeout{0};  // 0: only cancellation stops it
  std::chrono::milliseconds kill_grace{2000};
  size_t output_limit = 64 * 1024;  // per stream; the tail is kept
  std::string stdin_text;           // written to its stdin, then closed
};

struct CommandResult {
  bool started = false;
  std::string start_error;  // why it could not start (not found, not executable)
  int exit_code = -1;       // when it exited
  int signal = 0;           // when a signal ended it
  bool timed_out = false;
  bool cancelled = false;
  std::string out;
  std::string err;
  bool truncated = false;
  std::chrono::milliseconds took{0};

  bool ok() const { return started && exit_code == 0 && signal == 0; }
  // One line for a summary: "exited with code 3: <last stderr line>",
  // "timed out after 30 s", "not found: /usr/bin/x".
  std::string describe() const;
};

// `cancelled` is polled while the command runs (Context::cancelled()).
CommandResult run_command(const CommandSpec& spec, const std::function<bool()>& cancelled = {});

// The last non-empty line of `text`, for reasons.
std::string last_line(const std::string& text);

}  // namespace tend::plugins
