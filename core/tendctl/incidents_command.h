// `tendctl incidents [--open] [--since 7d] [--json]`: alert occurrences from
// the coordinator's store, newest first.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

// Exit 0; 2 for a bad --since or a refusal; 4 when the coordinator cannot be asked.
int list_incidents(const GlobalOptions& options, bool open_only, const std::string& since,
                   bool json);

void add_incidents_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
