// Where a task the coordinator follows came from, for its metrics and logs.
#pragma once

#include <array>
#include <string_view>

namespace tend {

enum class TaskOrigin {
  kSubmit,    // requested on tend.submit
  kDirect,    // published by an operator straight to tend.task.*
  kAlert,     // raised by an Alertmanager webhook
  kSchedule,  // started by a maintenance schedule
};

inline constexpr std::array<TaskOrigin, 4> kTaskOrigins{TaskOrigin::kSubmit, TaskOrigin::kDirect,
                                                        TaskOrigin::kAlert, TaskOrigin::kSchedule};

// "submit", "direct", "alert", "schedule".
constexpr std::string_view origin_name(TaskOrigin origin) {
  switch (origin) {
    case TaskOrigin::kSubmit:
      return "submit";
    case TaskOrigin::kDirect:
      return "direct";
    case TaskOrigin::kAlert:
      return "alert";
    case TaskOrigin::kSchedule:
      return "schedule";
  }
  return "unknown";
}

}  // namespace tend
