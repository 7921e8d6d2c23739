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

#include "tend/expected.hpp"
#include "tend/unique_fd.hpp"

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

namespace {

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Expected<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return make_error(std::string("cannot make pipes: ") + strerror(errno));
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// The command, running, and our ends of its pipes.
struct Child {
  pid_t pid = -1;
  UniqueFd in;
  UniqueFd out;
  UniqueFd err;
};

// Why exec failed, as the child reported it on `report`; empty once exec
// succeeded (the pipe closes on exec without a word).
std::string exec_failure(const CommandSpec& spec, UniqueFd report) {
  ExecFailure failure{};
  ssize_t n = read(report.get(), &failure, sizeof failure);
  if (n != static_cast<ssize_t>(sizeof failure)) return "";
  if (std::string(failure.step) == "exec") {
    return "cannot run " + spec.argv[0] + ": " + strerror(failure.error);
  }
  return std::string("cannot ") + failure.step + " for " + spec.argv[0] + ": " +
         strerror(failure.error);
}

Expected<Child> start_child(const CommandSpec& spec) {
  std::vector<std::string> env = merged_environment(spec.env);
  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  auto in = make_pipe(), out = make_pipe(), err = make_pipe(), report = make_pipe();
  for (const auto* pipe : {&in, &out, &err, &report}) {
    if (!*pipe) return pipe->error();
  }
  pid_t pid = fork();
  if (pid < 0) return make_error(std::string("cannot fork: ") + strerror(errno));
  if (pid == 0) {
    exec_child(spec, argv.data(), envp.data(), in->read.get(), out->write.get(), err->write.get(),
               report->write.get());
  }
  setpgid(pid, pid);  // also here, so the group exists before we might signal it
  report->write.reset();
  if (std::string why = exec_failure(spec, std::move(report->read)); !why.empty()) {
    waitpid(pid, nullptr, 0);
    return make_error(why);
  }
  return Child{pid, std::move(in->write), std::move(out->read), std::move(err->read)};
}

// Small inputs only: written before reading, then closed so it sees EOF.
void send_input(UniqueFd in, const std::string& text) {
  if (text.empty()) return;
  signal(SIGPIPE, SIG_IGN);
  (void)!write(in.get(), text.data(), text.size());
}

// SIGTERM to the command's group at its timeout or on cancel, SIGKILL after
// the grace.
class GroupStopper {
 public:
  GroupStopper(pid_t pid, const CommandSpec& spec, Clock::time_point started_at)
      : pid_(pid), spec_(spec), started_at_(started_at) {}

  void check(const std::function<bool()>& cancelled, CommandResult& result) {
    const auto now = Clock::now();
    if (!term_) {
      bool past = spec_.timeout.count() > 0 && now - started_at_ >= spec_.timeout;
      bool stop = cancelled && cancelled();
      if (!past && !stop) return;
      result.timed_out = past;
      result.cancelled = !past;
      kill(-pid_, SIGTERM);
      term_ = true;
      term_sent_ = now;
    } else if (!killed_ && now - term_sent_ >= spec_.kill_grace) {
      kill(-pid_, SIGKILL);
      killed_ = true;
    }
  }

  // Whatever the command left behind in its group, once it has ended.
  void finish() {
    if (term_ && !killed_) kill(-pid_, SIGKILL);
  }

 private:
  pid_t pid_;
  const CommandSpec& spec_;
  Clock::time_point started_at_;
  Clock::time_point term_sent_{};
  bool term_ = false;
  bool killed_ = false;
};

// Reads both streams until they close, or briefly past the command's exit,
// stopping it as GroupStopper says. The wait status.
int collect(Child& child, const CommandSpec& spec, const std::function<bool()>& cancelled,
            GroupStopper& stopper, CommandResult& result) {
  pollfd fds[2] = {{child.out.get(), POLLIN, 0}, {child.err.get(), POLLIN, 0}};
  int open_streams = 2;
  Clock::time_point exited_at{};
  bool exited = false;
  int status = 0;
  char buf[8192];
  while (open_streams > 0) {
    // A daemon the command started may hold the pipes open for ever: once
    // the command itself has ended, read what is left briefly, then stop.
    if (!exited && waitpid(child.pid, &status, WNOHANG) == child.pid) {
      exited = true;
      exited_at = Clock::now();
    }
    if (exited && Clock::now() - exited_at > kAfterExit) break;
    poll(fds, 2, kPollMs);
    for (auto& fd : fds) {
      if (fd.fd < 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fd.fd, buf, sizeof buf);
      if (got > 0) {
        keep_tail(fd.fd == child.out.get() ? result.out : result.err, buf, static_cast<size_t>(got),
                  spec.output_limit, result.truncated);
      } else if (got == 0 || errno != EINTR) {
        fd.fd = -1;  // closed with `child`
        --open_streams;
      }
    }
    stopper.check(cancelled, result);
  }
  while (!exited && waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

CommandResult run_command(const CommandSpec& spec, const std::function<bool()>& cancelled) {
  CommandResult result;
  if (spec.argv.empty() || spec.argv[0].empty()) {
    result.start_error = "no command given";
    return result;
  }
  const auto started_at = Clock::now();
  auto child = start_child(spec);
  if (!child) {
    result.start_error = child.error().message;
    return result;
  }
  result.started = true;
  send_input(std::move(child->in), spec.stdin_text);
  GroupStopper stopper(child->pid, spec, started_at);
  const int status = collect(*child, spec, cancelled, stopper, result);
  stopper.finish();
  result.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_at);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace tend::plugins
