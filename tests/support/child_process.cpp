#include "tests/support/child_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "tests/support/eventually.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {
namespace {

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int open_log(const std::filesystem::path& path) {
  return open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

}  // namespace

Expected<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv,
                                           const std::filesystem::path& log,
                                           const std::filesystem::path& stderr_log,
                                           const std::filesystem::path& input) {
  if (argv.empty()) return make_error("no program to start");
  std::string command = fmt::format("{}", fmt::join(argv, " "));

  // Everything the child needs is prepared here: between fork and exec only
  // async-signal-safe calls are allowed (the test process has threads).
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::string exec_failed = fmt::format("cannot execute {}\n", argv[0]);
  int in_fd = open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY | O_CLOEXEC);
  int out_fd = open_log(log);
  int err_fd = stderr_log.empty() ? out_fd : open_log(stderr_log);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) {
    std::string why = std::strerror(errno);
    for (int fd : {in_fd, out_fd, err_fd}) {
      if (fd >= 0 && (fd != err_fd || err_fd != out_fd)) close(fd);
    }
    return make_error(fmt::format("cannot open the input or log files for {}: {}", command, why));
  }

  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(in_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execvp(args[0], args.data());
    (void)!write(STDERR_FILENO, exec_failed.data(), exec_failed.size());
    _exit(127);
  }
  std::string why = std::strerror(errno);
  close(in_fd);
  close(out_fd);
  if (err_fd != out_fd) close(err_fd);
  if (pid < 0) return make_error(fmt::format("cannot fork for {}: {}", command, why));
  // Also set from this side, so the group exists before anyone signals it.
  setpgid(pid, pid);
  return ChildProcess(pid, log, stderr_log, std::move(command));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_),
      exit_code_(other.exit_code_),
      log_(std::move(other.log_)),
      stderr_log_(std::move(other.stderr_log_)),
      command_(std::move(other.command_)) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = other.pid_;
    exit_code_ = other.exit_code_;
    log_ = std::move(other.log_);
    stderr_log_ = std::move(other.stderr_log_);
    command_ = std::move(other.command_);
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() { release(); }

void ChildProcess::release() {
  if (pid_ <= 0) return;
  if (!exit_code_) {
    kill(pid_, SIGKILL);
    reap_blocking();
  }
  // Whatever it started and left behind goes too.
  kill(-pid_, SIGKILL);
  pid_ = -1;
}

void ChildProcess::reap_blocking() {
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &status, 0);
  } while (got < 0 && errno == EINTR);
  exit_code_ = got == pid_ ? exit_code_of(status) : -1;
}

bool ChildProcess::running() { return !wait_exit(std::chrono::milliseconds(0)).has_value(); }

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_ || pid_ <= 0) return exit_code_;
  eventually(
      [&] {
        int status = 0;
        const pid_t got = waitpid(pid_, &status, WNOHANG);
        if (got == pid_) exit_code_ = exit_code_of(status);
        if (got < 0 && errno != EINTR) exit_code_ = -1;
        return exit_code_.has_value();
      },
      timeout);
  return exit_code_;
}

int ChildProcess::terminate(std::chrono::milliseconds timeout) {
  if (!exit_code_ && pid_ > 0) {
    kill(pid_, SIGTERM);
    if (!wait_exit(timeout)) {
      kill(pid_, SIGKILL);
      reap_blocking();
    }
  }
  return exit_code_.value_or(-1);
}

void ChildProcess::kill9() {
  if (exit_code_ || pid_ <= 0) return;
  kill(pid_, SIGKILL);
  reap_blocking();
}

std::string ChildProcess::log() const { return read_file(log_); }

std::string ChildProcess::stderr_log() const {
  return stderr_log_.empty() ? std::string() : read_file(stderr_log_);
}

Expected<Completed> run_to_completion(const std::vector<std::string>& argv,
                                      const std::filesystem::path& dir, const std::string& name,
                                      std::chrono::milliseconds timeout,
                                      const std::filesystem::path& input) {
  auto child = ChildProcess::start(argv, dir / (name + ".out"), dir / (name + ".err"), input);
  if (!child) return child.error();
  auto code = child->wait_exit(timeout);
  if (!code) {
    child->kill9();
    return make_error(fmt::format("`{}` did not finish within {} ms; it wrote:\n{}\n{}",
                                  child->command(), timeout.count(), child->log(),
                                  child->stderr_log()));
  }
  return Completed{*code, child->log(), child->stderr_log()};
}

std::filesystem::path find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    auto colon = dirs.find(':');
    std::filesystem::path candidate = std::filesystem::path(dirs.substr(0, colon)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    dirs.remove_prefix(colon == std::string_view::npos ? dirs.size() : colon + 1);
  }
  return {};
}

}  // namespace tend::testing
