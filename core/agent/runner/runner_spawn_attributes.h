// How the agent starts the processes plugins run in (a runner, the runner
// zygote): in a process group of their own, so a deadline kills everything
// a plugin started and a Ctrl-C at the agent's terminal stays the agent's;
// with an empty signal mask and default dispositions, since the agent blocks
// its control signals for sigwait and a runner must still get SIGTERM (the
// zygote passes both on to the runners it forks).
#pragma once

#include <spawn.h>

namespace tend {

class RunnerSpawnAttributes {
 public:
  RunnerSpawnAttributes();
  ~RunnerSpawnAttributes() { posix_spawnattr_destroy(&attr_); }
  RunnerSpawnAttributes(const RunnerSpawnAttributes&) = delete;
  RunnerSpawnAttributes& operator=(const RunnerSpawnAttributes&) = delete;

  const posix_spawnattr_t* get() const { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

}  // namespace tend
