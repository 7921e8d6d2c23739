// `tendctl report [RUN_ID|--last]`: a maintenance run's stored report, and
// `tendctl watch RUN_ID`: a run's progress bar until it ends.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

// Exit 0 when every host succeeded, 1 when some need attention, 3 when the
// run was missed or hosts were skipped.
int show_report(const GlobalOptions& options, const std::string& run_id, bool last, bool json);

int watch_run(const GlobalOptions& options, const std::string& run_id);

void add_report_command(CLI::App& app, CommandSet& commands);
void add_watch_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
