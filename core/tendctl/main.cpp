// tendctl: the operator's command line for tend. main() reads the global
// options, has each command file add its subcommand, and runs the one given;
// each command lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/connection.h"
#include "core/common/logging.h"
#include "core/tendctl/approval_command.h"
#include "core/tendctl/audit_command.h"
#include "core/tendctl/breakers_command.h"
#include "core/tendctl/command_set.h"
#include "core/tendctl/control_command.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/history_command.h"
#include "core/tendctl/incidents_command.h"
#include "core/tendctl/kb_command.h"
#include "core/tendctl/nodes_command.h"
#include "core/tendctl/plugins_command.h"
#include "core/tendctl/report_command.h"
#include "core/tendctl/run_command.h"
#include "core/tendctl/schedule_command.h"
#include "core/tendctl/show_command.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

// Every subcommand, in the order --help lists them.
void add_commands(CLI::App& app, CommandSet& commands) {
  add_run_command(app, commands);
  add_nodes_command(app, commands);
  add_plugins_command(app, commands);
  add_control_commands(app, commands);  // pause, resume, reload
  add_history_command(app, commands);
  add_show_command(app, commands);
  add_audit_command(app, commands);
  add_schedule_command(app, commands);
  add_report_command(app, commands);
  add_watch_command(app, commands);
  add_incidents_command(app, commands);
  add_kb_command(app, commands);
  add_approval_commands(app, commands);  // pending, approve, deny
  add_breakers_command(app, commands);
}

}  // namespace
}  // namespace tend::tendctl

int main(int argc, char** argv) {
  using namespace tend::tendctl;
  CLI::App app{"tendctl: run remediation tasks on a tend fleet and see what happened"};
  // Before the subcommands: CLI11 hands its maximum of one to each of them.
  app.require_subcommand(1);
  GlobalOptions global;
  std::string connect_timeout = "2s";
  app.add_option("--server,-s", global.server,
                 "NATS URL (default: $NATS_URL, else " + std::string(kDefaultNatsUrl) + ")");
  app.add_option("--prefix", global.prefix, "subject prefix")->capture_default_str();
  app.add_option("--timeout-connect", connect_timeout, "how long to try reaching NATS (500ms, 2s)")
      ->capture_default_str();
  CommandSet commands;
  add_commands(app, commands);

  // Set last: CLI11 hands an app's footer to subcommands added after it, and
  // these codes are `run`'s, not every command's.
  app.footer(std::string(kExitCodesHelp) +
             "\n(history, show and audit tail: 0 answered, 2 refused, 4 unreachable; audit "
             "verify: 1 when the trail is broken. See each command's --help.)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kAllSucceeded : kUsageError;
  }
  auto connect_ms = parse_short_duration(connect_timeout);
  if (!connect_ms) {
    std::cerr << "error: --timeout-connect: " << connect_ms.error().message << "\n";
    return kUsageError;
  }
  global.connect_timeout = *connect_ms;
  // Owned here, not by a session: it tears down nats.c for the whole process,
  // after every command's connection is gone.
  tend::NatsLibrary nats_library;
  tend::init_logging("tendctl");
  (void)tend::set_log_level("error");  // tendctl speaks for itself; NATS chatter is noise
  return commands.run_parsed(app, global);
}
