// `tendctl kb [--json]`: the knowledge base. `tendctl kb promote|demote
// PATTERN [--plugin P] --reason WHY`: move a pattern one tier up or down
// (audited, with who and why).
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

int list_kb(const GlobalOptions& options, bool json);

// `direction` is "promote" or "demote". Exit 0; 2 refused (unknown pattern,
// no reason, already at the end); 4 the coordinator cannot be asked.
int adjust_kb(const GlobalOptions& options, const std::string& direction,
              const std::string& pattern, const std::string& plugin, const std::string& reason);

// `tendctl kb`, with its `promote` and `demote`, added to `app`.
void add_kb_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
