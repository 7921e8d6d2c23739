// The plugins tend ships, as an agent's catalog holds them: described from
// the build's own .so files (TEND_FUZZ_PLUGIN_DIR) by its own
// tend-plugin-runner (TEND_FUZZ_PLUGIN_RUNNER), so params are checked
// against the real tables (exec's command pattern, disk-cleanup's sizes and
// durations), never a copy that could drift.
#pragma once

#include "core/agent/plugin_host/plugin_catalog.h"

namespace tend::fuzz {

// Loaded on first use; aborts when the directory holds no plugin, since a
// harness that checks params against nothing would check nothing.
const PluginCatalog& builtin_plugins();

}  // namespace tend::fuzz
