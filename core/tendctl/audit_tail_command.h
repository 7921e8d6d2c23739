// `tendctl audit tail`: the newest rows of the audit trail, oldest first,
// asked of a coordinator on tend.audit.tail.
#pragma once

#include <string>

#include "core/tendctl/session.h"

namespace tend::tendctl {

// `limit` 0: the coordinator's default (20). Exit 0, 2 when refused, 4 when
// the coordinator could not be asked.
int audit_tail(const GlobalOptions& options, unsigned limit, const std::string& task_id, bool json);

}  // namespace tend::tendctl
