#include "core/agent/plugin_host/plugin_describer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <tend/unique_fd.hpp>

#include "core/agent/plugin_host/plugin_descriptor.h"
#include "core/agent/plugin_host/plugin_library.h"

extern char** environ;

namespace tend {
namespace {

using Clock = std::chrono::steady_clock;

struct ChildOutput {
  std::string out, err;
  int status = 0;
  bool timed_out = false;
};

Expected<ChildOutput> run_child(const std::string& program, const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    return make_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  UniqueFd out_r(out[0]), out_w(out[1]), err_r(err[0]), err_w(err[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  out_w.reset();
  err_w.reset();
  if (rc != 0) {
    return make_error(fmt::format("cannot start {}: {}", program, std::strerror(rc)));
  }

  ChildOutput result;
  auto deadline = Clock::now() + timeout;
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_open ? out_r.get() : -1, POLLIN, 0},
                     {err_open ? err_r.get() : -1, POLLIN, 0}};
    ::poll(fds, 2, static_cast<int>(left.count()));
    char buf[8192];
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        (i == 0 ? out_open : err_open) = false;
      }
    }
  }
  while (waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

std::string first_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.substr(0, text.find('\n'));
}

}  // namespace

PluginDescriber describe_in_process() {
  return [](const std::filesystem::path& path) -> Expected<tend::PluginInfo> {
    auto library = PluginLibrary::load(path);
    if (!library) return library.error();
    return PluginDescriptor::describe((*library)->plugin(), path);
  };
}

PluginDescriber describe_in_child(std::string runner_path, std::chrono::milliseconds timeout) {
  return [runner_path, timeout](const std::filesystem::path& path) -> Expected<tend::PluginInfo> {
    auto child = run_child(runner_path, {"--describe", path.string()}, timeout);
    if (!child) return child.error();
    if (child->timed_out) {
      return make_error(fmt::format("{}: loading it did not finish within {} ms; killed",
                                    path.string(), timeout.count()));
    }
    if (WIFSIGNALED(child->status)) {
      return make_error(fmt::format("{}: loading it crashed the describing process ({})",
                                    path.string(), strsignal(WTERMSIG(child->status))));
    }
    if (!WIFEXITED(child->status) || WEXITSTATUS(child->status) != 0) {
      std::string why = first_line(child->err);
      return make_error(why.empty() ? fmt::format("{}: cannot be described", path.string()) : why);
    }
    tend::PluginInfo info;
    if (!info.ParseFromString(child->out)) {
      return make_error(
          fmt::format("{}: the describing process printed no description", path.string()));
    }
    return info;
  };
}

}  // namespace tend
