// `tendctl audit tail|verify`: the audit trail's newest rows
// (audit_tail_command.h) and its integrity (audit_verify_command.h).
#pragma once

#include "core/tendctl/command_set.h"

namespace tend::tendctl {

void add_audit_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
