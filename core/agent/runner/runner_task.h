// What a plugin runner process does with its one task, whether it was
// started afresh (tend-plugin-runner) or forked from the runner zygote:
// reads one RunnerRequest on stdin, sets its own resource limits, finds the
// plugin (already loaded, or loads it now), runs diagnose → remediate →
// verify (→ rollback), writes one RunnerResponse to fd 3 and exits.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/agent/plugin_host/plugin_library.h"

namespace tend {

inline constexpr int kRunnerAnswerFd = 3;

// Plugins loaded before the task arrived, by their resolved path.
using PreloadedPlugins = std::map<std::string, std::shared_ptr<PluginLibrary>, std::less<>>;

// Does everything a runner can do before its task arrives, so that it is
// off the task's clock: protobuf builds its descriptors lazily on first use,
// which otherwise costs about a millisecond per task.
void warm_up_runner();

// In a spare forked by the zygote, while it waits for its task: runs what a
// task will run up to the plugin's hooks (parsing, the file check, param
// validation), so the copy-on-write and file-page faults a fresh fork takes
// on first touching that code are behind it when the task arrives.
void prefault_task_path(const PreloadedPlugins& preloaded);

// Serves the one task and ends the process (never returns): exit code 0
// once the answer is out, or when stdin closes without a task (a spare the
// agent let go).
[[noreturn]] void serve_one_task(const PreloadedPlugins& preloaded);

}  // namespace tend
