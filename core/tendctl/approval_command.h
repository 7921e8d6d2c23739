// `tendctl pending [--json]`: the fixes waiting for approval. `tendctl
// approve|deny TASK [--comment WHY]`: answer one (who and why go to the audit
// trail; an approved fix is dispatched at once).
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

int list_pending(const GlobalOptions& options, bool json);

// Exit 0 answered; 2 refused (nothing waits under that id, or a bad id); 4
// the coordinator cannot be asked.
int answer_approval(const GlobalOptions& options, bool approve, const std::string& task_id,
                    const std::string& comment, bool force);

// `tendctl pending`, `approve` and `deny`, added to `app`.
void add_approval_commands(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
