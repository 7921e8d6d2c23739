// `tendctl audit tail`: the newest rows of the audit trail, oldest first,
// asked of a coordinator on tend.audit.tail.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

// `limit` 0: the coordinator's default (20). Exit 0, 2 when refused, 4 when
// the coordinator could not be asked.
int audit_tail(const GlobalOptions& options, unsigned limit, const std::string& task_id, bool json);

// `tail`, added to `tendctl audit`.
void add_audit_tail_command(CLI::App& audit, CommandSet& commands);

}  // namespace tend::tendctl
