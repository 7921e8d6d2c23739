// The bounds every Task must keep, whoever sent it and whatever the plugin:
// the agent checks each task it receives (and REJECTS one out of bounds with
// this reason), the coordinator each task submitted to it. Each refusal names
// the field and the limit, e.g.
//   param 'command' is 300000 bytes; the limit is 4096
//   timeout_s 99999999 is out of range: use 1 to 86400 s
// The plugin's own declaration is checked afterwards, by the agent
// (core/agent/plugin_host/plugin_params.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "bus/expected.h"
#include "schemas/task.pb.h"

namespace tend {

// Who asked, approved or dispatched: an operator's name, a coordinator's.
inline constexpr size_t kMaxActorBytes = 256;
// Why: a line or a paragraph an alert's annotations filled in.
inline constexpr size_t kMaxReasonBytes = 4096;
// Hosts a target names one by one; roles and tags are fewer by nature.
inline constexpr size_t kMaxTargetHosts = 10'000;
inline constexpr size_t kMaxTargetRolesOrTags = 1'000;
// The longest a task may run: a day. 0 means the default (300 s).
inline constexpr int64_t kMaxTimeoutS = 86'400;

// id and plugin (bus/names.h, kMaxNameBytes), requested_by, approved_by,
// dispatched_by, reason; each target list and entry; params
// (core/common/param_bounds.h); timeout_s. The first field out of bounds
// is the one named.
Expected<void> check_task_bounds(const tend::Task& task);

}  // namespace tend
