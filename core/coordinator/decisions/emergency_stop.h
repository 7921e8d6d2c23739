// The emergency stop: `tendctl pause --all` (a pause on tend.control.all)
// stops every automatic fix at once, held ones included, and approvals are
// refused, until `tendctl resume --all`. Kept in PostgreSQL, so a restarted
// coordinator is still stopped.
#pragma once

#include <chrono>
#include <string>

namespace tend::decisions {

struct EmergencyStop {
  bool active = false;
  std::string by;
  std::string reason;
  std::chrono::system_clock::time_point since{};

  // "fixes are stopped (emergency stop by alice: db migration)"
  std::string why() const {
    return "fixes are stopped (emergency stop by " + (by.empty() ? std::string("unknown") : by) +
           (reason.empty() ? std::string() : ": " + reason) + "); tendctl resume --all lifts it";
  }
};

}  // namespace tend::decisions
