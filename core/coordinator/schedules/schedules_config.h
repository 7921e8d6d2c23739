// [schedules] in coordinator.toml: where schedules.toml is and how often
// the store is looked at for windows that opened and schedules that changed.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <string>

#include "bus/expected.h"

namespace tend {

struct SchedulesConfig {
  bool enabled = true;  // false: this coordinator runs no window (others may)
  std::string file;     // schedules.toml; "": only what tendctl adds
  std::chrono::milliseconds poll{1000};
  unsigned max_missed = 20;  // missed windows recorded one by one after an outage
  // No window fires until the coordinator has heard the fleet's heartbeats
  // for this long after it starts: a batch plan made from half a registry
  // would leave hosts out. One agent heartbeat interval and a margin.
  std::chrono::milliseconds settle{12000};
};

Expected<SchedulesConfig> read_schedules_config(const toml::table& doc, const std::string& path);

}  // namespace tend
