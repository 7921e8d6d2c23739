// The programs under test, as this build made them (see CMakeLists.txt).
#pragma once

#include <filesystem>

#include "tests/support/tend_stack.h"

namespace tend::testing {

inline Programs built_programs() {
  return Programs{.agent = TEND_AGENT_PATH,
                  .coordinator = TEND_COORDINATOR_PATH,
                  .plugin_dir = TEND_PLUGIN_DIR};
}

#ifdef TENDCTL_PATH
inline std::filesystem::path built_tendctl() { return TENDCTL_PATH; }
#endif

}  // namespace tend::testing
