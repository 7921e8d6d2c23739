// Turns `tendctl run` arguments into a Task.
#pragma once

#include <string>
#include <vector>

#include "bus/expected.h"
#include "schemas/task.pb.h"

namespace tend::tendctl {

struct RunArguments {
  std::vector<std::string> hosts, roles, tags;
  bool all = false;
  std::string plugin;
  std::vector<std::string> params;  // key=value
  bool dry_run = false;
  std::string timeout;  // "5m"; empty for the coordinator's default
  std::string reason;
  std::string requested_by;
};

// A value reads as JSON when it is a number, true/false or a [list]; else it
// is a string. `sleep_ms=200` is the number 200, `paths=[/var/log,/tmp]` a list.
Expected<tend::Task> build_task(const RunArguments& args);

}  // namespace tend::tendctl
