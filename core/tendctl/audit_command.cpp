#include "core/tendctl/audit_command.h"

#include <CLI/CLI.hpp>

#include "core/tendctl/audit_tail_command.h"
#include "core/tendctl/audit_verify_command.h"

namespace tend::tendctl {

void add_audit_command(CLI::App& app, CommandSet& commands) {
  auto* audit = app.add_subcommand("audit", "the audit trail: its newest rows, and its integrity");
  audit->require_subcommand(1);
  add_audit_tail_command(*audit, commands);
  add_audit_verify_command(*audit, commands);
}

}  // namespace tend::tendctl
