#include "core/agent/runner/zygote_server.h"

#include <fmt/format.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/agent/plugin_host/plugin_file_policy.h"
#include "core/agent/plugin_host/plugin_memory_copy.h"
#include "core/agent/runner/descriptor_passing.h"
#include "core/agent/runner/runner_task.h"
#include "schemas/runner.pb.h"

namespace tend {
namespace {

void reply(int socket, const tend::ZygoteReply& message) {
  // Nothing to do if the agent is gone: the next receive sees the end.
  (void)send_datagram(socket, message.SerializeAsString());
}

tend::ZygoteReply make_reply(tend::ZygoteReply::Kind kind, uint32_t plugin = 0,
                             std::string error = {}) {
  tend::ZygoteReply r;
  r.set_kind(kind);
  r.set_plugin(plugin);
  r.set_error(std::move(error));
  return r;
}

// Threads of this process; 0 when /proc cannot say.
size_t thread_count() {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/task", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++n;
  }
  return ec ? 0 : n;
}

PreloadedPlugins preload(int socket, const tend::ZygoteRequest& request) {
  PreloadedPlugins loaded;
  for (int i = 0; i < request.preload_size(); ++i) {
    const auto index = static_cast<uint32_t>(i);
    reply(socket, make_reply(tend::ZygoteReply::LOADING, index));
    auto allowed = check_plugin_file_policy(request.preload(i), geteuid());
    if (!allowed) {
      reply(socket, make_reply(tend::ZygoteReply::LOADED, index, allowed.error().message));
      continue;
    }
    // From a sealed copy: a `cp` over the file must not reach the code that
    // every later runner is forked with.
    auto copy = copy_plugin_to_memory(*allowed);
    if (!copy) {
      reply(socket, make_reply(tend::ZygoteReply::LOADED, index, copy.error().message));
      continue;
    }
    auto library = PluginLibrary::load(*allowed, std::move(*copy));
    if (!library) {
      reply(socket, make_reply(tend::ZygoteReply::LOADED, index, library.error().message));
      continue;
    }
    if (size_t threads = thread_count(); threads > 1) {
      reply(socket, make_reply(tend::ZygoteReply::FAILED, index,
                               fmt::format("it started {} thread(s) when loaded, and a process "
                                           "with threads cannot fork runners safely",
                                           threads - 1)));
      std::_Exit(0);
    }
    loaded.emplace(allowed->string(), std::move(*library));
    reply(socket, make_reply(tend::ZygoteReply::LOADED, index));
  }
  return loaded;
}

// fork(), but the child's parent is the agent (this process's parent). A
// raw clone skips glibc's fork handlers, which a process with one thread and
// no locks held does not need; glibc 2.34+ asks the kernel for the thread
// id where it matters (raise, abort), so the child's signals reach it.
pid_t clone_beside_self() {
  return static_cast<pid_t>(
      syscall(SYS_clone, CLONE_PARENT | SIGCHLD, nullptr, nullptr, nullptr, nullptr));
}

// In the new child: takes the agent's pipes as fds 0-3, leaves the zygote's
// socket and everything else behind, and serves one task.
[[noreturn]] void become_runner(std::vector<UniqueFd>& pipes, pid_t agent,
                                const PreloadedPlugins& preloaded) {
  for (int i = 0; i < 4; ++i) {
    if (dup2(pipes[static_cast<size_t>(i)].get(), i) < 0) std::_Exit(127);
  }
  closefrom(kRunnerAnswerFd + 1);
  setpgid(0, 0);  // its own process group, so a deadline kills all it started
  prctl(PR_SET_NAME, "tend-runner");
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != agent) std::_Exit(0);  // the agent died while we were being made
  prefault_task_path(preloaded);
  serve_one_task(preloaded);
}

}  // namespace

void serve_as_zygote(int socket) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // an agent that dies takes its zygote along
  prctl(PR_SET_NAME, "tend-zygote");
  unsetenv("LD_BIND_NOW");  // it did its work (see RunnerZygote): not for plugins' commands
  const pid_t agent = getppid();
  if (agent == 1) std::_Exit(0);
  warm_up_runner();

  // The preload list may be long; a fork request is a few bytes, so only the
  // buffer's first page is ever written again.
  static char buffer[256 * 1024];
  std::string bytes;
  std::vector<UniqueFd> fds;
  tend::ZygoteRequest request;
  if (!receive_datagram(socket, buffer, bytes, fds) || !request.ParseFromString(bytes) ||
      request.kind() != tend::ZygoteRequest::PRELOAD) {
    std::_Exit(0);
  }
  const PreloadedPlugins preloaded = preload(socket, request);
  reply(socket, make_reply(tend::ZygoteReply::READY));

  for (;;) {
    if (!receive_datagram(socket, buffer, bytes, fds)) std::_Exit(0);  // the agent let us go
    if (!request.ParseFromString(bytes) || request.kind() != tend::ZygoteRequest::FORK ||
        fds.size() != 4) {
      reply(socket, make_reply(tend::ZygoteReply::FAILED, 0, "malformed fork request"));
      continue;
    }
    std::fflush(nullptr);  // nothing buffered may be written twice
    pid_t pid = clone_beside_self();
    if (pid == 0) become_runner(fds, agent, preloaded);
    tend::ZygoteReply answer;
    if (pid < 0) {
      answer = make_reply(tend::ZygoteReply::FAILED, 0,
                          fmt::format("cannot fork a runner: {}", std::strerror(errno)));
    } else {
      answer.set_kind(tend::ZygoteReply::FORKED);
      answer.set_pid(pid);
    }
    fds.clear();  // the runner has them now
    reply(socket, answer);
  }
}

}  // namespace tend
