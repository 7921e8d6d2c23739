// `tendctl pause|resume|reload`: control messages to agents.
#pragma once

#include <string>
#include <vector>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

// Sends `action` to each host (or to every agent with `all`) and prints each
// agent's answer. Exit 0 when every addressed agent confirmed.
int control_agents(const GlobalOptions& options, const std::string& action,
                   const std::vector<std::string>& hosts, bool all, const std::string& reason);

// `tendctl pause`, `resume` and `reload`, added to `app`.
void add_control_commands(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
