// The bounds of a Control message (pause, resume, reload on
// tend.control.<host>): who sent it and why are written to the log, the
// heartbeat and the audit trail, so they are as long as a task's.
#pragma once

#include <cstddef>

#include "bus/expected.h"
#include "schemas/control.pb.h"

namespace tend {

// "pause", "resume", "reload": anything longer is not an action.
inline constexpr size_t kMaxControlActionBytes = 32;

// action, by (kMaxActorBytes) and reason (kMaxReasonBytes), as
// "by is 300 bytes; the limit is 256".
Expected<void> check_control_bounds(const tend::Control& control);

}  // namespace tend
