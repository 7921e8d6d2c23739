// The programs under test, as this build made them (see CMakeLists.txt).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {

inline Programs built_programs() {
  return Programs{.agent = TEND_AGENT_PATH,
                  .coordinator = TEND_COORDINATOR_PATH,
                  .plugin_dir = TEND_PLUGIN_DIR};
}

#ifdef TENDCTL_PATH
inline std::filesystem::path built_tendctl() { return TENDCTL_PATH; }

// Runs `tendctl --server URL args...` to completion; its output lands in `dir`.
inline Expected<Completed> run_tendctl(
    const std::string& url, const std::vector<std::string>& args, const TempDir& dir,
    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  static std::atomic<int> runs{0};
  std::vector<std::string> argv = {built_tendctl().string(), "--server", url};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_to_completion(argv, dir.path(), "tendctl-" + std::to_string(++runs), timeout);
}

// What a run did, for failure messages.
inline std::string described(const Completed& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out + "\nstderr:\n" +
         run.err;
}
#endif

}  // namespace tend::testing
