// How the catalog learns what a plugin file is. In the agent it asks a child
// process (`tend-plugin-runner --describe FILE`), so plugin code never runs
// inside the agent; a tool or a test may load the file in its own process.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "bus/expected.h"
#include "schemas/heartbeat.pb.h"

namespace tend {

using PluginDescriber = std::function<Expected<tend::PluginInfo>(const std::filesystem::path&)>;

// Loads the file here, with Boost.DLL, and copies its description.
PluginDescriber describe_in_process();

// Runs `runner_path --describe FILE` and reads the PluginInfo it prints. A
// file whose loading hangs is given `timeout`, then killed and refused.
PluginDescriber describe_in_child(std::string runner_path,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace tend
