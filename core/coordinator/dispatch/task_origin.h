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

// The origin named by origin_name; kDirect for a name it does not know.
constexpr TaskOrigin task_origin_from_name(std::string_view name) {
  for (TaskOrigin origin : kTaskOrigins) {
    if (origin_name(origin) == name) return origin;
  }
  return TaskOrigin::kDirect;
}

}  // namespace tend
