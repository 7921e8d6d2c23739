#include "core/common/control_bounds.h"

#include "core/common/input_bounds.h"
#include "core/common/task_bounds.h"

namespace tend {

Expected<void> check_control_bounds(const tend::Control& control) {
  if (auto ok = check_bytes("action", control.action().size(), kMaxControlActionBytes); !ok) {
    return ok;
  }
  if (auto ok = check_bytes("by", control.by().size(), kMaxActorBytes); !ok) return ok;
  return check_bytes("reason", control.reason().size(), kMaxReasonBytes);
}

}  // namespace tend
