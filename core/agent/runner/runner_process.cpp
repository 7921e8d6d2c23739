#include "core/agent/runner/runner_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "core/agent/runner/frame_io.h"
#include "core/agent/runner/runner_spawn_attributes.h"
#include "core/common/trace_point.h"

extern char** environ;

namespace tend {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollMs = 20;
// A plugin may leave a grandchild holding stdout open after the runner has
// exited; stop waiting for EOF this long after the runner is gone.
constexpr auto kLingerAfterExit = std::chrono::milliseconds(200);

struct Pipe {
  UniqueFd read, write;
};

Expected<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return make_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Appends what is readable now; false on EOF or error.
bool drain_into(int fd, std::string& sink, size_t cap, bool& truncated) {
  char buf[16384];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  size_t room = sink.size() < cap ? cap - sink.size() : 0;
  sink.append(buf, std::min(room, static_cast<size_t>(n)));
  if (static_cast<size_t>(n) > room) truncated = true;
  return true;
}

bool poll_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

bool parse_answer(const std::string& bytes, tend::RunnerResponse& out) {
  if (bytes.size() < 4) return false;
  auto b = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = (size_t{b[0]} << 24) | (size_t{b[1]} << 16) | (size_t{b[2]} << 8) | size_t{b[3]};
  if (bytes.size() < 4 + n) return false;
  return out.ParseFromArray(bytes.data() + 4, static_cast<int>(n));
}

// Takes what the plugin's output pipes hold now, without waiting for more.
void drain_now(int fd, bool open, std::string& sink, const RunnerLimits& limits, bool& truncated) {
  while (open && drain_into(fd, sink, limits.capture_bytes, truncated) && poll_now(fd)) {
  }
}

// How the run ended, once the process is gone. An answer counts even if the
// process died after giving it.
void conclude(RunnerOutcome& outcome, bool cancelled, bool answered, int status) {
  if (cancelled) {
    outcome.end = RunnerOutcome::End::kCancelled;
  } else if (answered) {
    outcome.end = RunnerOutcome::End::kResponded;
  } else if (WIFSIGNALED(status)) {
    outcome.end = RunnerOutcome::End::kCrashed;
    outcome.signal = WTERMSIG(status);
  } else {
    outcome.end = RunnerOutcome::End::kExitedWithoutAnswer;
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
}

}  // namespace

Expected<RunnerPipes> RunnerPipes::open() {
  auto request = make_pipe();
  auto answer = make_pipe();
  auto out = make_pipe();
  auto err = make_pipe();
  for (auto* p : {&request, &answer, &out, &err}) {
    if (!*p) return p->error();
  }
  return RunnerPipes{std::move(request->read), std::move(request->write), std::move(answer->read),
                     std::move(answer->write), std::move(out->read),      std::move(out->write),
                     std::move(err->read),     std::move(err->write)};
}

Expected<std::unique_ptr<RunnerProcess>> RunnerProcess::spawn(const std::string& runner_path) {
  auto pipes = RunnerPipes::open();
  if (!pipes) return pipes.error();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  auto ends = pipes->runner_ends();
  for (int fd = 0; fd < 4; ++fd) {
    posix_spawn_file_actions_adddup2(&actions, ends[static_cast<size_t>(fd)], fd);
  }

  const RunnerSpawnAttributes attr;

  pid_t pid = -1;
  char* argv[] = {const_cast<char*>(runner_path.c_str()), nullptr};
  int rc = posix_spawn(&pid, runner_path.c_str(), &actions, attr.get(), argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return make_error(
        fmt::format("cannot start plugin runner {}: {}", runner_path, std::strerror(rc)));
  }
  return adopt(pid, std::move(*pipes));
}

std::unique_ptr<RunnerProcess> RunnerProcess::adopt(pid_t pid, RunnerPipes pipes) {
  for (auto& fd : {pipes.stdout_read.get(), pipes.stderr_read.get(), pipes.answer_read.get()}) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  // The runner's ends close with `pipes`, so EOF means the runner is done.
  return std::unique_ptr<RunnerProcess>(
      new RunnerProcess(pid, std::move(pipes.request_write), std::move(pipes.answer_read),
                        std::move(pipes.stdout_read), std::move(pipes.stderr_read)));
}

RunnerProcess::~RunnerProcess() { finish(); }

void RunnerProcess::finish() {
  if (reaped_) return;
  // A runner (an unused spare, or one that answered) exits once its request
  // pipe closes. Whatever is left after a moment goes with its group.
  in_.reset();
  int status = 0;
  // (glibc 2.36's <sys/pidfd.h> cannot be used from C++: no extern "C".)
  if (UniqueFd exit(static_cast<int>(syscall(SYS_pidfd_open, pid_, 0))); exit) {
    // Readable once the process has exited: one wake-up instead of polling.
    pollfd p{exit.get(), POLLIN, 0};
    while (::poll(&p, 1, static_cast<int>(kLingerAfterExit.count())) < 0 && errno == EINTR) {
    }
    if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  } else {
    auto deadline = Clock::now() + kLingerAfterExit;
    while (Clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  ::kill(-pid_, SIGKILL);  // the runner's leftovers, if any
  if (!reaped_) reap();
}

void RunnerProcess::kill_group(int sig) const {
  if (!reaped_) ::kill(-pid_, sig);
}

pid_t RunnerProcess::wait_child(int* status, int options) {
  rusage usage{};
  pid_t pid = wait4(pid_, status, options, &usage);
  if (pid == pid_) {
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    cpu_seconds_ = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  return pid;
}

int RunnerProcess::reap() {
  int status = 0;
  while (wait_child(&status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

RunnerOutcome RunnerProcess::run(const tend::RunnerRequest& request,
                                 const std::atomic<bool>& cancel, const RunnerLimits& limits) {
  RunnerOutcome outcome;
  // The pipe stays open: the runner exits once it is closed (finish()).
  bool sent = static_cast<bool>(write_frame(in_.get(), request.SerializeAsString()));
  trace_point("a.written");

  std::string answer;
  bool answer_open = true, out_open = true, err_open = true;
  bool cancelled = false;
  Clock::time_point term_sent{}, exited_at{};
  bool killed = false, exited = false;
  int status = 0;

  while (answer_open || out_open || err_open) {
    pollfd fds[3] = {{answer_.get(), POLLIN, 0}, {out_.get(), POLLIN, 0}, {err_.get(), POLLIN, 0}};
    for (int i = 0; i < 3; ++i) {
      bool open = i == 0 ? answer_open : i == 1 ? out_open : err_open;
      if (!open) fds[i].fd = -1;
    }
    ::poll(fds, 3, kPollMs);
    bool ignored = false;
    if (answer_open && fds[0].revents) {
      answer_open = drain_into(answer_.get(), answer, kMaxFrameBytes, ignored);
    }
    if (out_open && fds[1].revents) {
      out_open = drain_into(out_.get(), outcome.stdout_text, limits.capture_bytes,
                            outcome.output_truncated);
    }
    if (err_open && fds[2].revents) {
      err_open = drain_into(err_.get(), outcome.stderr_text, limits.capture_bytes,
                            outcome.output_truncated);
    }

    // The answer is complete: what the plugin printed was flushed before it,
    // so take what is in the pipes now and leave the exit to finish().
    if (!cancel && !cancelled && parse_answer(answer, outcome.response)) {
      drain_now(out_.get(), out_open, outcome.stdout_text, limits, outcome.output_truncated);
      drain_now(err_.get(), err_open, outcome.stderr_text, limits, outcome.output_truncated);
      outcome.end = RunnerOutcome::End::kResponded;
      return outcome;
    }

    // Once its answer is in (or it can give none), a runner waits only to
    // be let go; a cancelled one is let go at once, to exit when it stops.
    if (!answer_open) in_.reset();
    auto now = Clock::now();
    if (cancel && !cancelled) {
      cancelled = true;
      term_sent = now;
      in_.reset();
      kill_group(SIGTERM);
    }
    if (cancelled && !killed && now - term_sent >= limits.kill_grace) {
      killed = true;
      kill_group(SIGKILL);
    }
    if (!exited && wait_child(&status, WNOHANG) == pid_) {
      exited = true;
      reaped_ = true;
      exited_at = now;
    }
    if (exited && now - exited_at >= kLingerAfterExit) {
      ::kill(-pid_, SIGKILL);  // whatever the plugin left behind in its group
      break;
    }
  }
  if (!exited) status = reap();
  outcome.cpu_seconds = cpu_seconds_;

  conclude(outcome, cancelled, !cancelled && sent && parse_answer(answer, outcome.response),
           status);
  return outcome;
}

}  // namespace tend
