// tendctl: the operator's command line for tend. This file only wires flags
// to commands; each command lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/connection.h"
#include "core/common/logging.h"
#include "core/tendctl/approval_command.h"
#include "core/tendctl/breakers_command.h"
#include "core/tendctl/control_command.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/incidents_command.h"
#include "core/tendctl/kb_command.h"
#include "core/tendctl/nodes_command.h"
#include "core/tendctl/operator_name.h"
#include "core/tendctl/plugins_command.h"
#include "core/tendctl/run_command.h"
#include "core/tendctl/time_text.h"

namespace {

constexpr const char* kParamHelp =
    "Parameters are key=value. A value that reads as a number (200, 1.5), true/false or a\n"
    "[list] (e.g. [/var/log,/tmp], or a JSON array of strings) is sent typed; anything\n"
    "else as the string typed.";

}  // namespace

int main(int argc, char** argv) {
  using namespace tend::tendctl;
  CLI::App app{"tendctl: run remediation tasks on a tend fleet and see what happened"};
  app.footer(kExitCodesHelp);
  app.require_subcommand(1);
  GlobalOptions global;
  std::string connect_timeout = "2s";
  app.add_option("--server,-s", global.server,
                 "NATS URL (default: $NATS_URL, else " + std::string(kDefaultNatsUrl) + ")");
  app.add_option("--prefix", global.prefix, "subject prefix")->capture_default_str();
  app.add_option("--timeout-connect", connect_timeout, "how long to try reaching NATS (500ms, 2s)")
      ->capture_default_str();

  RunArguments run_args;
  bool run_json = false;
  auto* run = app.add_subcommand("run", "run a plugin on the matching nodes and summarise");
  run->footer(std::string(kParamHelp) + "\n\n" + kExitCodesHelp);
  run->add_option("--host", run_args.hosts, "target host (repeatable)")->allow_extra_args(false);
  run->add_option("--role", run_args.roles, "target role (repeatable)")->allow_extra_args(false);
  run->add_option("--tag", run_args.tags, "target tag (repeatable)")->allow_extra_args(false);
  run->add_flag("--all", run_args.all, "every node");
  run->add_flag("--dry-run", run_args.dry_run, "report what would change, change nothing");
  run->add_option("--timeout", run_args.timeout,
                  "per-node deadline, e.g. 90s, 5m (default: the coordinator's, 5m)");
  run->add_option("--reason", run_args.reason, "why, for the audit trail");
  run->add_flag("--json", run_json, "print the Summary as JSON and nothing else");
  run->add_option("plugin", run_args.plugin, "plugin name")->required();
  run->add_option("params", run_args.params, "plugin parameters: key=value ...");

  bool nodes_json = false;
  auto* nodes = app.add_subcommand("nodes", "list the nodes the coordinator knows");
  nodes->add_flag("--json", nodes_json, "print the NodeList as JSON and nothing else");

  std::string plugin_host, plugin_name;
  auto* plugins = app.add_subcommand("plugins", "list the fleet's plugins, or show one's help");
  plugins->add_option("--host", plugin_host, "only this node's plugins");
  plugins->add_option("name", plugin_name, "a plugin to show in full");

  std::vector<std::string> control_hosts;
  bool control_all = false;
  std::string control_reason;
  std::vector<CLI::App*> controls;
  for (std::string action : {"pause", "resume", "reload"}) {
    auto* c = app.add_subcommand(action, action == "pause" ? "pause agents: they reject new tasks"
                                         : action == "resume" ? "resume paused agents"
                                                              : "agents re-read their plugins");
    c->add_option("--host", control_hosts, "agent host (repeatable)")->allow_extra_args(false);
    c->add_flag("--all", control_all, "every agent");
    c->add_option("--reason", control_reason, "why, for the log");
    controls.push_back(c);
  }

  bool incidents_open = false, incidents_json = false;
  std::string incidents_since;
  auto* incidents = app.add_subcommand(
      "incidents", "alert occurrences: what fired, what was decided, what ran, how it ended");
  incidents->add_flag("--open", incidents_open, "only those still open");
  incidents->add_option("--since", incidents_since, "only those received within, e.g. 7d, 12h");
  incidents->add_flag("--json", incidents_json, "print the IncidentList as JSON");

  bool kb_json = false;
  std::string kb_pattern, kb_plugin, kb_reason;
  auto* kb = app.add_subcommand("kb", "the knowledge base: confidence earned per alert pattern");
  kb->add_flag("--json", kb_json, "print the KbList as JSON");
  std::vector<CLI::App*> kb_moves;
  for (std::string move : {"promote", "demote"}) {
    auto* m = kb->add_subcommand(move, move == "promote"
                                           ? "one tier up: escalate -> approval -> run alone"
                                           : "one tier down: run alone -> approval -> escalate");
    m->add_option("pattern", kb_pattern, "the pattern (a route's name)")->required();
    m->add_option("--plugin", kb_plugin, "when the pattern has entries for several plugins");
    m->add_option("--reason", kb_reason, "why, for the audit trail")->required();
    kb_moves.push_back(m);
  }

  bool pending_json = false;
  auto* pending = app.add_subcommand("pending", "fixes waiting for a human's approval");
  pending->add_flag("--json", pending_json, "print the PendingList as JSON");
  std::string answer_task, answer_comment;
  std::vector<CLI::App*> answers;
  for (std::string verb : {"approve", "deny"}) {
    auto* a = app.add_subcommand(verb, verb == "approve" ? "let a pending fix run now"
                                                         : "refuse a pending fix: it never runs");
    a->add_option("task", answer_task, "the task id tendctl pending shows")->required();
    a->add_option("--comment", answer_comment, "why, for the audit trail");
    answers.push_back(a);
  }

  bool breakers_json = false;
  std::string breaker_kind, breaker_key, breaker_reason;
  auto* breakers = app.add_subcommand("breakers", "the emergency stop and the circuit breakers");
  breakers->add_flag("--json", breakers_json, "print the BreakerList as JSON");
  auto* breaker_reset = breakers->add_subcommand("reset", "close a breaker, forgetting its counts");
  breaker_reset->add_option("kind", breaker_kind, "rate, pattern or fleet")
      ->required()
      ->check(CLI::IsMember({"rate", "pattern", "fleet"}));
  breaker_reset->add_option("key", breaker_key, "service@host for rate, the pattern for pattern");
  breaker_reset->add_option("--reason", breaker_reason, "why, for the audit trail")->required();

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

  if (run->parsed()) {
    run_args.requested_by = operator_name();
    return run_task(global, run_args, run_json);
  }
  if (nodes->parsed()) return list_nodes(global, nodes_json);
  if (plugins->parsed()) return list_plugins(global, plugin_host, plugin_name);
  for (auto* m : kb_moves) {
    if (m->parsed()) return adjust_kb(global, m->get_name(), kb_pattern, kb_plugin, kb_reason);
  }
  if (kb->parsed()) return list_kb(global, kb_json);
  if (pending->parsed()) return list_pending(global, pending_json);
  if (breaker_reset->parsed()) {
    return reset_breaker(global, breaker_kind, breaker_key, breaker_reason);
  }
  if (breakers->parsed()) return list_breakers(global, breakers_json);
  for (auto* a : answers) {
    if (a->parsed()) {
      return answer_approval(global, a->get_name() == "approve", answer_task, answer_comment);
    }
  }
  if (incidents->parsed()) {
    return list_incidents(global, incidents_open, incidents_since, incidents_json);
  }
  for (auto* c : controls) {
    if (c->parsed()) {
      return control_agents(global, c->get_name(), control_hosts, control_all, control_reason);
    }
  }
  return kUsageError;
}
