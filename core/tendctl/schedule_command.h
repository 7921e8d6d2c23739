// `tendctl schedule add|list|show|pause|resume|remove|run-now`: maintenance
// schedules, managed live through the coordinators (tend.schedule.<verb>),
// which keep them in PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"
#include "core/tendctl/task_builder.h"
#include "schemas/schedule.pb.h"

namespace tend::tendctl {

struct ScheduleArguments {
  std::string name;
  std::string cron, timezone, window, limit, description;
  RunArguments task;  // target, plugin, params, timeout, dry run, reason
  uint32_t canary = 0;
  std::string batch, pause;
  uint32_t max_per_role = 0;
  std::optional<uint32_t> max_failures;
  std::optional<double> max_failure_percent;
  bool no_health_gate = false;
  bool paused = false;
  std::optional<uint64_t> seed;  // run-now
  bool json = false;
};

// The Schedule `add` sends; the coordinator checks it again, whole.
Expected<tend::Schedule> build_schedule(const ScheduleArguments& args);

int schedule_command(const GlobalOptions& options, const std::string& verb,
                     const ScheduleArguments& args);

// `tendctl schedule` and its verbs, added to `app`.
void add_schedule_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
