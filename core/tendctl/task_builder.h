// Turns `tendctl run` arguments into the Task sent on tend.submit, refusing
// mistakes with a message that names what to fix (exit 2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"
#include "schemas/task.pb.h"

namespace tend::tendctl {

struct RunArguments {
  std::vector<std::string> hosts, roles, tags;
  bool all = false;
  std::string plugin;
  std::vector<std::string> params;  // key=value, see param_text.h
  bool dry_run = false;
  // Past the nodes' [maintenance] windows; needs who approved it.
  bool force = false;
  std::string approved_by;
  std::string timeout;  // "5m"; empty leaves it to the coordinator's default
  std::string reason;
  std::string requested_by;
  // A random subset of the target, chosen here from tend.nodes: "5" or "10%".
  std::string limit;
  std::optional<uint64_t> seed;  // chooses the same subset again
};

Expected<tend::Task> build_task(const RunArguments& args);

// --timeout as whole seconds: more than 0, and within Task.timeout_s.
Expected<uint32_t> parse_task_timeout(std::string_view text);

}  // namespace tend::tendctl
