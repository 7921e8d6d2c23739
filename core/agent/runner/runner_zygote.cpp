#include "core/agent/runner/runner_zygote.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string_view>
#include <thread>

#include "core/agent/runner/descriptor_passing.h"
#include "core/agent/runner/runner_spawn_attributes.h"
#include "schemas/runner.pb.h"

extern char** environ;

namespace tend {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A zygote that takes longer than this to fork one runner is stuck.
constexpr auto kForkTimeout = 5s;
// After its socket closes, a zygote exits at once; past this it is killed.
constexpr auto kExitPatience = 500ms;

struct Spawned {
  pid_t pid;
  UniqueFd socket;
};

Expected<Spawned> spawn_zygote(const std::string& runner_path) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    return make_error(
        fmt::format("cannot create the runner zygote's socket: {}", std::strerror(errno)));
  }
  UniqueFd ours(pair[0]), theirs(pair[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  // fd 2 stays the agent's: what a plugin says while it is loaded is logged.
  posix_spawn_file_actions_adddup2(&actions, theirs.get(), 3);

  const RunnerSpawnAttributes attr;
  // Every symbol bound as the zygote starts: a lazily bound one would be
  // looked up again in every runner's copy of the process. The zygote
  // takes the variable out of its environment before it forks any runner.
  std::vector<char*> env;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).starts_with("LD_BIND_NOW=")) continue;
    env.push_back(*e);
  }
  env.push_back(const_cast<char*>("LD_BIND_NOW=1"));
  env.push_back(nullptr);
  pid_t pid = -1;
  char* argv[] = {const_cast<char*>(runner_path.c_str()), const_cast<char*>("--zygote"), nullptr};
  int rc = posix_spawn(&pid, runner_path.c_str(), &actions, attr.get(), argv, env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return make_error(
        fmt::format("cannot start the runner zygote {}: {}", runner_path, std::strerror(rc)));
  }
  return Spawned{pid, std::move(ours)};
}

enum class Got { kReply, kClosed, kTimedOut };

Got receive_reply(int socket, Clock::time_point deadline, tend::ZygoteReply& reply) {
  char buffer[16 * 1024];  // a reply is a line of text at most
  std::string bytes;
  std::vector<UniqueFd> ignored;
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Got::kTimedOut;
    pollfd p{socket, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return Got::kTimedOut;
    if (n < 0 || !receive_datagram(socket, buffer, bytes, ignored) ||
        !reply.ParseFromString(bytes)) {
      return Got::kClosed;
    }
    return Got::kReply;
  }
}

// Waits up to `patience` for `pid` to exit, then kills it; returns its wait status.
int reap(pid_t pid, std::chrono::milliseconds patience) {
  int status = 0;
  auto deadline = Clock::now() + patience;
  while (Clock::now() < deadline) {
    pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid || (got < 0 && errno != EINTR)) return status;
    std::this_thread::sleep_for(2ms);
  }
  ::kill(pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status)) {
    const char* abbrev = sigabbrev_np(WTERMSIG(status));
    return fmt::format("killed by SIG{}", abbrev ? abbrev : std::to_string(WTERMSIG(status)));
  }
  return fmt::format("exited with code {}", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

// Every plugin not `excluded`; `sent` gets each entry's index in `plugins`.
tend::ZygoteRequest preload_request(const std::vector<std::filesystem::path>& plugins,
                                    const std::vector<bool>& excluded, std::vector<size_t>& sent) {
  tend::ZygoteRequest request;
  request.set_kind(tend::ZygoteRequest::PRELOAD);
  for (size_t i = 0; i < plugins.size(); ++i) {
    if (excluded[i]) continue;
    request.add_preload(plugins[i].string());
    sent.push_back(i);
  }
  return request;
}

}  // namespace

Expected<std::unique_ptr<RunnerZygote>> RunnerZygote::start(
    const std::string& runner_path, const std::vector<std::filesystem::path>& plugins,
    std::chrono::milliseconds load_timeout) {
  std::vector<bool> excluded(plugins.size(), false);
  std::vector<LeftOut> left_out;
  // Each attempt that fails leaves out one more plugin, so this ends.
  for (size_t attempt = 0; attempt <= plugins.size(); ++attempt) {
    std::vector<size_t> sent;  // for each entry of the request, its index in `plugins`
    const tend::ZygoteRequest request = preload_request(plugins, excluded, sent);
    auto spawned = spawn_zygote(runner_path);
    if (!spawned) return spawned.error();
    std::unique_ptr<RunnerZygote> zygote(
        new RunnerZygote(spawned->pid, std::move(spawned->socket)));
    if (!send_datagram(zygote->socket_.get(), request.SerializeAsString())) {
      int status = zygote->stop();
      return make_error(fmt::format("the runner zygote {} ended as it started ({})", runner_path,
                                    how_it_ended(status)));
    }

    constexpr size_t kNothing = SIZE_MAX;
    size_t loading = kNothing;  // index in `plugins` of what it loads now
    auto leave_out = [&](size_t index, const std::string& why) {
      excluded[index] = true;
      left_out.push_back({plugins[index], fmt::format("{}: {}; its runners load it per task",
                                                      plugins[index].string(), why)});
    };
    auto deadline = Clock::now() + load_timeout;
    for (;;) {
      tend::ZygoteReply reply;
      Got got = receive_reply(zygote->socket_.get(), deadline, reply);
      if (got == Got::kReply) {
        if (reply.kind() == tend::ZygoteReply::READY) {
          zygote->left_out_ = std::move(left_out);
          return zygote;
        }
        if (reply.plugin() >= sent.size()) continue;  // not ours to make sense of
        const size_t index = sent[reply.plugin()];
        deadline = Clock::now() + load_timeout;
        if (reply.kind() == tend::ZygoteReply::LOADING) {
          loading = index;
        } else if (reply.kind() == tend::ZygoteReply::LOADED) {
          loading = kNothing;
          if (reply.error().empty()) {
            zygote->preloaded_.push_back(plugins[index]);
          } else {
            left_out.push_back(
                {plugins[index], fmt::format("{}; its runners load it per task", reply.error())});
          }
        } else if (reply.kind() == tend::ZygoteReply::FAILED) {
          leave_out(index, reply.error());
          break;
        }
        continue;
      }
      if (got == Got::kTimedOut) {
        zygote->stop();
        if (loading == kNothing) {
          return make_error(fmt::format("the runner zygote {} did not start within {} ms",
                                        runner_path, load_timeout.count()));
        }
        leave_out(loading,
                  fmt::format("loading it did not finish within {} ms", load_timeout.count()));
        break;
      }
      int status = zygote->stop();
      if (loading == kNothing) {
        return make_error(fmt::format("the runner zygote {} ended as it started ({})", runner_path,
                                      how_it_ended(status)));
      }
      leave_out(loading,
                fmt::format("loading it ended the runner zygote ({})", how_it_ended(status)));
      break;
    }
  }
  return make_error("the runner zygote could not load its plugins");
}

RunnerZygote::~RunnerZygote() { stop(); }

int RunnerZygote::stop() {
  std::lock_guard lock(mu_);
  if (reaped_) return status_;
  socket_.reset();  // the zygote's next receive sees the end and it exits
  status_ = reap(pid_, kExitPatience);
  reaped_ = true;
  return status_;
}

Expected<std::unique_ptr<RunnerProcess>> RunnerZygote::fork_runner() {
  std::lock_guard lock(mu_);
  if (reaped_ || gone_) return make_error(fmt::format("the runner zygote (pid {}) is gone", pid_));
  auto pipes = RunnerPipes::open();
  if (!pipes) return pipes.error();
  tend::ZygoteRequest request;
  request.set_kind(tend::ZygoteRequest::FORK);
  if (auto sent = send_datagram(socket_.get(), request.SerializeAsString(), pipes->runner_ends());
      !sent) {
    gone_ = true;
    return make_error(
        fmt::format("the runner zygote (pid {}) is gone: {}", pid_, sent.error().message));
  }
  tend::ZygoteReply reply;
  Got got = receive_reply(socket_.get(), Clock::now() + kForkTimeout, reply);
  if (got != Got::kReply) {
    gone_ = true;
    return make_error(fmt::format("the runner zygote (pid {}) {}", pid_,
                                  got == Got::kTimedOut ? "stopped answering" : "is gone"));
  }
  if (reply.kind() != tend::ZygoteReply::FORKED) {
    return make_error(fmt::format("the runner zygote could not fork a runner: {}", reply.error()));
  }
  const pid_t pid = reply.pid();
  // The runner moves into a group of its own as it starts; doing it here too
  // means the group exists before anyone may need to kill it.
  setpgid(pid, pid);
  return RunnerProcess::adopt(pid, std::move(*pipes));
}

}  // namespace tend
