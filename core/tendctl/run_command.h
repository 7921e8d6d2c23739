// `tendctl run`: submit one task to the coordinator, show its progress while
// it runs, print what every host did, exit with what it means (exit_codes.h).
#pragma once

#include <chrono>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"
#include "core/tendctl/task_builder.h"
#include "schemas/task.pb.h"

namespace tend::tendctl {

// `json`: the Summary as JSON on stdout and nothing else there.
int run_task(const GlobalOptions& options, const RunArguments& args, bool json);

// How long to wait for the summary: the task's deadline (the coordinator's
// default when it has none) plus a margin for the coordinator's grace period
// and the trip back.
std::chrono::milliseconds reply_timeout_for(const tend::Task& task);

// `tendctl run`, added to `app`.
void add_run_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
