#include "plugins/support/command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>

namespace tend::plugins {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollMs = 50;
constexpr auto kAfterExit = std::chrono::milliseconds(200);

// What the child reports on its error pipe when exec fails: errno, then the
// step that failed.
struct ExecFailure {
  int error;
  char step[32];
};

// The environment the child gets: ours, with the spec's entries on top.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  for (const auto& entry : extra) vars[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> out;
  for (auto& [key, entry] : vars) out.push_back(std::move(entry));
  return out;
}

void keep_tail(std::string& buffer, const char* data, size_t size, size_t limit, bool& truncated) {
  buffer.append(data, size);
  if (buffer.size() > limit) {
    buffer.erase(0, buffer.size() - limit);
    truncated = true;
  }
}

// Only async-signal-safe calls from here to exec: the child of a fork.
[[noreturn]] void exec_child(const CommandSpec& spec, char* const* argv, char* const* envp,
                             int in_fd, int out_fd, int err_fd, int report_fd) {
  auto fail = [report_fd](const char* step) {
    ExecFailure failure{errno, {}};
    strncpy(failure.step, step, sizeof(failure.step) - 1);
    (void)!write(report_fd, &failure, sizeof failure);
    _exit(127);
  };
  setpgid(0, 0);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
      dup2(err_fd, STDERR_FILENO) < 0) {
    fail("redirect");
  }
  if (!spec.working_dir.empty() && chdir(spec.working_dir.c_str()) != 0) fail("chdir");
  execvpe(argv[0], argv, envp);
  fail("exec");
  _exit(127);  // fail() never returns; this says so to the compiler
}

}  // namespace

std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end - (start == std::string::npos ? 0 : start + 1) + 1);
}

std::string CommandResult::describe() const {
  if (!started) return start_error;
  if (timed_out) return "timed out after " + std::to_string(took.count() / 1000) + " s";
  if (cancelled) return "stopped: the task was cancelled";
  std::string why = last_line(err);
  if (why.empty()) why = last_line(out);
  std::string how = signal ? std::string("killed by SIG") + (sigabbrev_np(signal) ?: "?")
                           : "exited with code " + std::to_string(exit_code);
  return why.empty() ? how : how + ": " + why;
}

CommandResult run_command(const CommandSpec& spec, const std::function<bool()>& cancelled) {
  CommandResult result;
  if (spec.argv.empty() || spec.argv[0].empty()) {
    result.start_error = "no command given";
    return result;
  }
  std::vector<std::string> env = merged_environment(spec.env);
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  int in[2], out[2], err[2], report[2];
  if (pipe2(in, O_CLOEXEC) != 0) return result.start_error = strerror(errno), result;
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0) {
    result.start_error = std::string("cannot make pipes: ") + strerror(errno);
    return result;
  }
  const auto started_at = Clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    result.start_error = std::string("cannot fork: ") + strerror(errno);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], report[0], report[1]}) close(fd);
    return result;
  }
  if (pid == 0) exec_child(spec, argv.data(), envp.data(), in[0], out[1], err[1], report[1]);
  setpgid(pid, pid);  // also here, so the group exists before we might signal it
  for (int fd : {in[0], out[1], err[1], report[1]}) close(fd);

  ExecFailure failure{};
  ssize_t n = read(report[0], &failure, sizeof failure);  // EOF once exec succeeds
  close(report[0]);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    waitpid(pid, nullptr, 0);
    close(in[1]), close(out[0]), close(err[0]);
    result.start_error = std::string(failure.step) == "exec"
                             ? "cannot run " + spec.argv[0] + ": " + strerror(failure.error)
                             : std::string("cannot ") + failure.step + " for " + spec.argv[0] +
                                   ": " + strerror(failure.error);
    return result;
  }
  result.started = true;

  // Small inputs only: written before reading, then closed so it sees EOF.
  if (!spec.stdin_text.empty()) {
    signal(SIGPIPE, SIG_IGN);
    (void)!write(in[1], spec.stdin_text.data(), spec.stdin_text.size());
  }
  close(in[1]);

  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_streams = 2;
  Clock::time_point term_sent{}, exited_at{};
  bool term = false, killed = false, exited = false;
  int status = 0;
  char buf[8192];
  while (open_streams > 0) {
    // A daemon the command started may hold the pipes open for ever: once
    // the command itself has ended, read what is left briefly, then stop.
    if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      exited_at = Clock::now();
    }
    if (exited && Clock::now() - exited_at > kAfterExit) break;
    poll(fds, 2, kPollMs);
    for (auto& fd : fds) {
      if (fd.fd < 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fd.fd, buf, sizeof buf);
      if (got > 0) {
        keep_tail(fd.fd == out[0] ? result.out : result.err, buf, static_cast<size_t>(got),
                  spec.output_limit, result.truncated);
      } else if (got == 0 || errno != EINTR) {
        close(fd.fd);
        fd.fd = -1;
        --open_streams;
      }
    }
    auto now = Clock::now();
    if (!term) {
      bool past = spec.timeout.count() > 0 && now - started_at >= spec.timeout;
      bool stop = cancelled && cancelled();
      if (past || stop) {
        result.timed_out = past;
        result.cancelled = !past;
        kill(-pid, SIGTERM);
        term = true;
        term_sent = now;
      }
    } else if (!killed && now - term_sent >= spec.kill_grace) {
      kill(-pid, SIGKILL);
      killed = true;
    }
  }
  for (auto& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  while (!exited && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (term && !killed) kill(-pid, SIGKILL);  // whatever it left behind in its group
  result.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_at);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace tend::plugins
