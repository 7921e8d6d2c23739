// tendctl: the operator's command line for tend. This file only wires flags
// to commands; each command lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/connection.h"
#include "core/common/logging.h"
#include "core/tendctl/approval_command.h"
#include "core/tendctl/audit_tail_command.h"
#include "core/tendctl/audit_verify_command.h"
#include "core/tendctl/breakers_command.h"
#include "core/tendctl/control_command.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/history_command.h"
#include "core/tendctl/incidents_command.h"
#include "core/tendctl/kb_command.h"
#include "core/tendctl/nodes_command.h"
#include "core/tendctl/operator_name.h"
#include "core/tendctl/plugins_command.h"
#include "core/tendctl/report_command.h"
#include "core/tendctl/run_command.h"
#include "core/tendctl/schedule_command.h"
#include "core/tendctl/show_command.h"
#include "core/tendctl/time_text.h"

namespace {

constexpr const char* kParamHelp =
    "Parameters are key=value. A value that reads as a number (200, 1.5), true/false or a\n"
    "[list] (e.g. [/var/log,/tmp], or a JSON array of strings) is sent typed; anything\n"
    "else as the string typed.";

constexpr const char* kStoreExitCodes =
    "Answered by a tend-coordinator with a [database] url.\n\n"
    "Exit codes:\n"
    "  0  answered\n"
    "  2  usage error, or a request the coordinator refused (its reason says what to change)\n"
    "  4  NATS or a coordinator with a store could not be reached, or sent no answer";

}  // namespace

int main(int argc, char** argv) {
  using namespace tend::tendctl;
  CLI::App app{"tendctl: run remediation tasks on a tend fleet and see what happened"};
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
  run->add_flag("--force", run_args.force,
                "run even outside the nodes' [maintenance] windows (needs --approved-by)");
  run->add_option("--approved-by", run_args.approved_by, "who approved the task, for the audit");
  run->add_option("--timeout", run_args.timeout,
                  "per-node deadline, e.g. 90s, 5m (default: the coordinator's, 5m)");
  run->add_option("--reason", run_args.reason, "why, for the audit trail");
  run->add_flag("--json", run_json, "print the Summary as JSON and nothing else");
  run->add_option("--limit", run_args.limit,
                  "only a random subset of the matching online nodes: N hosts or N%");
  run->add_option("--seed", run_args.seed, "with --limit: choose the same subset as before");
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

  HistoryArguments history_args;
  bool history_json = false;
  auto* history = app.add_subcommand("history", "list past and running tasks, newest first");
  history->footer(kStoreExitCodes);
  history->add_option("--host", history_args.host, "only tasks this host took part in");
  history->add_option("--plugin", history_args.plugin, "only this plugin's tasks");
  history->add_option("--status", history_args.status,
                      "only tasks with a result of this status (SUCCEEDED, FAILED, TIMED_OUT, "
                      "CRASHED, REJECTED); with --host, that host's result");
  history->add_option("--since", history_args.since,
                      "only tasks dispatched since this long ago: 90s, 30m, 24h, 7d");
  history->add_option("--limit", history_args.limit,
                      "at most this many tasks (default 50, max 1000)");
  history->add_flag("--json", history_json, "print the HistoryReply as JSON and nothing else");

  std::string show_id;
  bool show_json = false;
  auto* show = app.add_subcommand(
      "show", "one task in full: every host's result, outputs, figures and its audit rows");
  show->footer(kStoreExitCodes);
  show->add_option("task_id", show_id, "the task's id (tendctl history lists them)")->required();
  show->add_flag("--json", show_json, "print the ShowReply as JSON and nothing else");

  auto* audit = app.add_subcommand("audit", "the audit trail: its newest rows, and its integrity");
  audit->require_subcommand(1);
  unsigned tail_limit = 0;
  std::string tail_task;
  bool tail_json = false;
  auto* tail = audit->add_subcommand("tail", "the newest rows of the audit trail, oldest first");
  tail->footer(kStoreExitCodes);
  tail->add_option("-n,--limit", tail_limit, "how many rows (default 20, max 1000)");
  tail->add_option("--task", tail_task, "only this task's rows");
  tail->add_flag("--json", tail_json, "print the AuditTailReply as JSON and nothing else");
  std::string verify_database, verify_timeout = "10m";
  bool verify_json = false;
  auto* verify = audit->add_subcommand(
      "verify", "walk the audit trail's hash chain and name the first row that does not fit");
  verify->footer(kAuditVerifyExitCodes);
  verify->add_option("--database", verify_database,
                     "check straight against PostgreSQL (a libpq URL, e.g. "
                     "postgresql://auditor@db/tend) instead of asking the coordinator");
  verify->add_option("--timeout", verify_timeout, "how long to wait for the coordinator's verdict")
      ->capture_default_str();
  verify->add_flag("--json", verify_json, "print the AuditVerifyReply as JSON and nothing else");
  // tendctl schedule <verb>
  ScheduleArguments sched;
  auto* schedule = app.add_subcommand("schedule",
                                      "maintenance schedules: add, list, show, pause, "
                                      "resume, remove, run-now");
  schedule->require_subcommand(1);
  std::vector<CLI::App*> schedule_verbs;
  auto* add = schedule->add_subcommand("add", "add a schedule, or replace one of the same name");
  add->footer(std::string(kParamHelp));
  add->add_option("name", sched.name, "schedule name")->required();
  add->add_option("--cron", sched.cron, "5-field cron, e.g. \"0 2 * * sun\"");
  add->add_option("--timezone", sched.timezone, "IANA time zone, e.g. Europe/Berlin");
  add->add_option("--window", sched.window, "how long the window stays open, e.g. 4h");
  add->add_option("--host", sched.task.hosts, "target host (repeatable)")->allow_extra_args(false);
  add->add_option("--role", sched.task.roles, "target role (repeatable)")->allow_extra_args(false);
  add->add_option("--tag", sched.task.tags, "target tag (repeatable)")->allow_extra_args(false);
  add->add_flag("--all", sched.task.all, "every node");
  add->add_option("--limit", sched.limit, "a random subset of the target per run: N or N%");
  add->add_option("--canary", sched.canary, "hosts in a first batch of their own");
  add->add_option("--batch", sched.batch, "batch size after the canary: N hosts or N%");
  add->add_option("--pause", sched.pause, "wait between batches, e.g. 2m");
  add->add_option("--max-per-role", sched.max_per_role, "hosts of one role per batch");
  add->add_option("--max-failures", sched.max_failures, "failure budget: failed hosts tolerated");
  add->add_option("--max-failure-percent", sched.max_failure_percent,
                  "failure budget: share of the hosts that may fail");
  add->add_flag("--no-health-gate", sched.no_health_gate,
                "start batches pause apart without waiting for the previous one");
  add->add_flag("--dry-run", sched.task.dry_run, "runs report what they would change");
  add->add_flag("--paused", sched.paused, "add it paused");
  add->add_option("--timeout", sched.task.timeout, "per-batch task deadline, e.g. 30m");
  add->add_option("--description", sched.description, "what it is for");
  add->add_option("--reason", sched.task.reason, "why, for the audit trail");
  add->add_option("plugin", sched.task.plugin, "plugin name")->required();
  add->add_option("params", sched.task.params, "plugin parameters: key=value ...");
  schedule_verbs.push_back(add);
  schedule_verbs.push_back(schedule->add_subcommand("list", "every schedule, its next window"));
  for (auto [verb, help] : {std::pair{"show", "one schedule in full, with its recent runs"},
                            std::pair{"pause", "stop a schedule's windows from firing"},
                            std::pair{"resume", "let a paused schedule fire again"},
                            std::pair{"remove", "delete a schedule"},
                            std::pair{"run-now", "run a schedule now, as if its window opened"}}) {
    auto* c = schedule->add_subcommand(verb, help);
    c->add_option("name", sched.name, "schedule name")->required();
    c->add_option("--reason", sched.task.reason, "why, for the audit trail");
    if (std::string(verb) == "run-now") {
      c->add_option("--seed", sched.seed, "choose the same --limit subset as an earlier run");
    }
    schedule_verbs.push_back(c);
  }
  for (auto* c : schedule_verbs) c->add_flag("--json", sched.json, "print the answer as JSON");

  std::string report_run;
  bool report_last = false, report_json = false;
  auto* report = app.add_subcommand("report", "a maintenance run's report");
  report->add_option("run_id", report_run, "the run (tendctl schedule show lists them)");
  report->add_flag("--last", report_last, "the newest report");
  report->add_flag("--json", report_json, "the MaintenanceReport as JSON");

  std::string watch_id;
  auto* watch = app.add_subcommand("watch", "follow a maintenance run with a progress bar");
  watch->add_option("run_id", watch_id, "the run")->required();
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
  bool answer_force = false;
  std::vector<CLI::App*> answers;
  for (std::string verb : {"approve", "deny"}) {
    auto* a = app.add_subcommand(verb, verb == "approve" ? "let a pending fix run now"
                                                         : "refuse a pending fix: it never runs");
    a->add_option("task", answer_task, "the task id tendctl pending shows")->required();
    a->add_option("--comment", answer_comment, "why, for the audit trail");
    if (verb == "approve") {
      a->add_flag("--force", answer_force,
                  "let it run even outside the nodes' [maintenance] windows");
    }
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

  if (run->parsed()) {
    if (run_args.seed && run_args.limit.empty()) {
      std::cerr << "error: --seed chooses a --limit subset: give --limit too\n";
      return kUsageError;
    }
    run_args.requested_by = operator_name();
    return run_task(global, run_args, run_json);
  }
  if (nodes->parsed()) return list_nodes(global, nodes_json);
  if (history->parsed()) return show_history(global, history_args, history_json);
  if (show->parsed()) return show_task(global, show_id, show_json);
  if (tail->parsed()) return audit_tail(global, tail_limit, tail_task, tail_json);
  if (verify->parsed()) {
    auto timeout = parse_short_duration(verify_timeout);
    if (!timeout) {
      std::cerr << "error: --timeout: " << timeout.error().message << "\n";
      return kUsageError;
    }
    return audit_verify(global, verify_database, *timeout, verify_json);
  }
  for (auto* c : schedule_verbs) {
    if (c->parsed()) return schedule_command(global, c->get_name(), sched);
  }
  if (report->parsed()) return show_report(global, report_run, report_last, report_json);
  if (watch->parsed()) return watch_run(global, watch_id);
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
      return answer_approval(global, a->get_name() == "approve", answer_task, answer_comment,
                             answer_force);
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
