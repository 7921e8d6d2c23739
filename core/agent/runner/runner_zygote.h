// The agent's side of the runner zygote (zygote_server.h): starts
// `tend-plugin-runner --zygote`, has it load the plugins once, then asks it
// for one runner process per task. A runner forked this way costs a fork
// (about 0.2 ms of CPU here) instead of an exec, dynamic linking and a
// dlopen (about 3.5 ms), and it is still a child of the agent, in a process
// group of its own: RunnerProcess waits for it, kills it and reads how it
// ended exactly as for a runner it spawned.
//
// A plugin that crashes, hangs or starts threads while the zygote loads it
// is left out, and the zygote started again without it: its tasks load it in
// their own runner, as without a zygote, so it can only fail its own tasks.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <tend/unique_fd.hpp>
#include <vector>

#include "bus/expected.h"
#include "core/agent/runner/runner_process.h"

namespace tend {

class RunnerZygote {
 public:
  struct LeftOut {
    std::filesystem::path plugin;
    std::string why;  // names the file, and says its runners load it per task
  };

  // `plugins` are resolved paths (PluginCatalog::paths()). Waits until they
  // are loaded; a plugin whose loading takes longer than `load_timeout` is
  // left out.
  static Expected<std::unique_ptr<RunnerZygote>> start(
      const std::string& runner_path, const std::vector<std::filesystem::path>& plugins,
      std::chrono::milliseconds load_timeout = std::chrono::seconds(10));

  // Lets the zygote go (it exits when its socket closes) and waits for it.
  // Runners it forked live on: they belong to the agent.
  ~RunnerZygote();
  RunnerZygote(const RunnerZygote&) = delete;
  RunnerZygote& operator=(const RunnerZygote&) = delete;

  // A fresh runner, waiting for its task. From any thread. An error when the
  // zygote is gone (then it stays gone: start another).
  Expected<std::unique_ptr<RunnerProcess>> fork_runner();

  pid_t pid() const { return pid_; }
  // Plugins its runners find loaded already.
  const std::vector<std::filesystem::path>& preloaded() const { return preloaded_; }
  // The others, and why they were not loaded ahead.
  const std::vector<LeftOut>& left_out() const { return left_out_; }

 private:
  RunnerZygote(pid_t pid, UniqueFd socket) : pid_(pid), socket_(std::move(socket)) {}
  // Closes the socket and reaps the zygote; returns its wait status.
  int stop();

  pid_t pid_;
  std::mutex mu_;  // one request at a time
  UniqueFd socket_;
  bool gone_ = false;  // stopped answering: only stop() is left
  bool reaped_ = false;
  int status_ = 0;
  std::vector<std::filesystem::path> preloaded_;
  std::vector<LeftOut> left_out_;
};

}  // namespace tend
