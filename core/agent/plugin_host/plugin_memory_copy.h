// A sealed in-memory copy of a plugin file, for a process that keeps plugins
// mapped for its whole life: the runner zygote. A plain `cp` over a plugin
// rewrites, in place, the pages of the file that process has mapped, and
// every runner it forked afterwards would run half-written code. Loaded from
// the copy, the zygote keeps the plugin as it was checked until a reload
// replaces the zygote with one that loads the new file.
#pragma once

#include <filesystem>
#include <tend/unique_fd.hpp>

#include "bus/expected.h"

namespace tend {

// Copies `path` into a memfd and seals it against writes, growth and
// shrinking. Messages start with the path.
Expected<UniqueFd> copy_plugin_to_memory(const std::filesystem::path& path);

// The name dlopen() can load an open descriptor of this process by.
std::filesystem::path descriptor_path(int fd);

}  // namespace tend
