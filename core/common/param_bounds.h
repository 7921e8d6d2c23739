// The bounds of a task's params that hold whatever the plugin: how many, how
// long a name, a string or a list may be. Checked on every task the agent
// receives (core/common/task_bounds.h) and again with the plugin's own
// declaration (core/agent/plugin_host/plugin_params.h), always before any pattern runs,
// so no matcher ever sees an unbounded string.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstddef>
#include <string_view>

#include "bus/expected.h"

namespace tend {

// A plugin declares at most this many params (core/agent/plugin_host/param_spec_check).
inline constexpr size_t kMaxParams = 256;
// A path, a URL, a command line, a pattern: 4 KiB is PATH_MAX, and more
// than any of them needs.
inline constexpr size_t kMaxParamBytes = 4096;
// Items of a list param (paths, arguments, packages, tables).
inline constexpr size_t kMaxParamItems = 1024;

// One param's value: a string at most kMaxParamBytes, a list at most
// kMaxParamItems items, each string item at most kMaxParamBytes; `name` at
// most kMaxNameBytes. The message reads
//   param 'command' is 300000 bytes; the limit is 4096
// Types are not checked here: that is the plugin's declaration's job.
Expected<void> check_param_bounds(std::string_view name, const google::protobuf::Value& value);

}  // namespace tend
