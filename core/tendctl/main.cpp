// tendctl: the operator's command line for tend.
#include <CLI/CLI.hpp>
#include <iostream>

#include "core/common/logging.h"
#include "core/tendctl/control_command.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/nodes_command.h"
#include "core/tendctl/run_command.h"

int main(int argc, char** argv) {
  using namespace tend::tendctl;
  CLI::App app{
      "tendctl: run remediation tasks on a tend fleet and see what happened\n\n"
      "Exit codes: 0 all succeeded, 1 some failed, 2 usage error or request refused,\n"
      "3 some hosts never answered (wins over 1), 4 NATS or the coordinator unreachable."};
  app.require_subcommand(1);
  GlobalOptions global;
  int connect_ms = 2000;
  app.add_option("--server,-s", global.server,
                 "NATS URL (default: $NATS_URL, else nats://127.0.0.1:4222)");
  app.add_option("--prefix", global.prefix, "subject prefix")->default_val("tend");
  app.add_option("--connect-timeout-ms", connect_ms, "how long to try reaching NATS")
      ->default_val(2000);

  RunArguments run_args;
  bool run_json = false;
  auto* run = app.add_subcommand("run", "run a plugin on the matching nodes and summarise");
  run->add_option("--host", run_args.hosts, "target host (repeatable)")->allow_extra_args(false);
  run->add_option("--role", run_args.roles, "target role (repeatable)")->allow_extra_args(false);
  run->add_option("--tag", run_args.tags, "target tag (repeatable)")->allow_extra_args(false);
  run->add_flag("--all", run_args.all, "every node");
  run->add_flag("--dry-run", run_args.dry_run, "report what would change, change nothing");
  run->add_option("--timeout", run_args.timeout, "per-node deadline, e.g. 90s, 5m");
  run->add_option("--reason", run_args.reason, "why, for the audit trail");
  run->add_flag("--json", run_json, "print the Summary as JSON only");
  run->add_option("plugin", run_args.plugin, "plugin name")->required();
  run->add_option("params", run_args.params, "plugin parameters as key=value");

  bool nodes_json = false;
  auto* nodes = app.add_subcommand("nodes", "list the nodes the coordinator knows");
  nodes->add_flag("--json", nodes_json, "print the NodeList as JSON");

  std::string plugin_host, plugin_name;
  auto* plugins = app.add_subcommand("plugins", "list the fleet's plugins, or show one's help");
  plugins->add_option("--host", plugin_host, "only this node's plugins");
  plugins->add_option("name", plugin_name, "a plugin to show in full");

  std::vector<std::string> control_hosts;
  bool control_all = false;
  std::string control_reason;
  std::vector<CLI::App*> controls;
  for (const char* action : {"pause", "resume", "reload"}) {
    auto* c = app.add_subcommand(
        action, std::string(action) + (std::string(action) == "reload"
                                           ? " plugins on agents"
                                           : " agents (paused agents reject new tasks)"));
    c->add_option("--host", control_hosts, "agent host (repeatable)")->allow_extra_args(false);
    c->add_flag("--all", control_all, "every agent");
    c->add_option("--reason", control_reason, "why, for the log");
    controls.push_back(c);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kUsageError;
  }
  tend::init_logging("tendctl");
  (void)tend::set_log_level("error");  // tendctl speaks for itself
  global.connect_timeout = std::chrono::milliseconds(connect_ms);

  if (run->parsed()) {
    run_args.requested_by = operator_name();
    return run_task(global, run_args, run_json);
  }
  if (nodes->parsed()) return list_nodes(global, nodes_json);
  if (plugins->parsed()) return list_plugins(global, plugin_host, plugin_name);
  for (auto* c : controls) {
    if (c->parsed()) {
      return control_agents(global, c->get_name(), control_hosts, control_all, control_reason);
    }
  }
  return kUsageError;
}
