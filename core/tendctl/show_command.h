// `tendctl show TASK_ID`: one task in full, asked of a coordinator on
// tend.show.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

// Exit 0; 2 when the store knows no such task (or the id is malformed); 4
// when the coordinator could not be asked.
int show_task(const GlobalOptions& options, const std::string& task_id, bool json);

void add_show_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
