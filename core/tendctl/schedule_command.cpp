#include "core/tendctl/schedule_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "bus/codec.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"
#include "core/common/target_matcher.h"
#include "core/tendctl/coordinator_reply.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/operator_name.h"
#include "core/tendctl/param_text.h"
#include "core/tendctl/text_table.h"

namespace tend::tendctl {
namespace {

constexpr auto kScheduleTimeout = std::chrono::seconds(10);

void print_error(std::string_view message) { std::cerr << "error: " << message << "\n"; }

// A duration flag in whole seconds as the request carries them (32 bits):
// one too long to carry is refused here rather than sent wrapped around.
// The coordinator says the real range.
Expected<uint32_t> seconds_of(std::string_view flag, const std::string& text) {
  auto d = parse_duration(text);
  if (!d) return make_error(fmt::format("{}: {}", flag, d.error().message));
  if (auto ok = check_range(flag, d->count(), 0, UINT32_MAX, "s"); !ok) return ok.error();
  return static_cast<uint32_t>(d->count());
}

std::string last_run_text(const tend::ScheduleView& view) {
  if (view.recent_runs_size() == 0) return "-";
  const auto& run = view.recent_runs(0);
  return fmt::format("{} {}", run.state(), run.run_id());
}

std::string render_list(const tend::ScheduleReply& reply, bool colour) {
  if (reply.schedules_size() == 0) return "no schedules (add one with tendctl schedule add)\n";
  TextTable table(
      {"NAME", "CRON", "TIMEZONE", "PLUGIN", "TARGET", "NEXT WINDOW", "STATE", "LAST RUN"});
  for (const auto& view : reply.schedules()) {
    const auto& s = view.schedule();
    table.add_row({{s.name()},
                   {s.cron()},
                   {s.timezone()},
                   {s.plugin()},
                   {TargetMatcher::describe(s.target())},
                   {s.paused() ? "-" : view.next_window_local()},
                   {s.paused() ? "paused" : "active", s.paused() ? "33" : ""},
                   {last_run_text(view)}});
  }
  return table.render(colour);
}

std::string render_show(const tend::ScheduleView& view) {
  const auto& s = view.schedule();
  const auto& r = s.rollout();
  std::string out = fmt::format("schedule     {}{}\n", s.name(), s.paused() ? " (paused)" : "");
  if (!s.description().empty()) out += fmt::format("description  {}\n", s.description());
  out += fmt::format("cron         {} in {}\n", s.cron(), s.timezone());
  out += fmt::format("window       {} s\n", s.window_s());
  out += fmt::format("next window  {}\n", s.paused() ? "- (paused)" : view.next_window_local());
  out += fmt::format("plugin       {}{}\n", s.plugin(), s.dry_run() ? " (dry run)" : "");
  if (!s.params().fields().empty()) out += fmt::format("params       {}\n", to_json(s.params()));
  out += fmt::format("target       {}{}\n", TargetMatcher::describe(s.target()),
                     s.limit().empty() ? "" : fmt::format(", a random {}", s.limit()));
  out += fmt::format(
      "rollout      canary {}, batches of {}, pause {} s, at most {} per role, "
      "health gate {}\n",
      r.canary(), r.batch().empty() ? "all" : r.batch(), r.pause_s(),
      r.max_per_role() == 0 ? std::string("any") : std::to_string(r.max_per_role()),
      r.has_health_gate() && !r.health_gate() ? "off" : "on");
  std::string budget = "no failure";
  if (r.has_max_failures() && r.has_max_failure_percent()) {
    budget = fmt::format("{} host(s) / {}%", r.max_failures(), r.max_failure_percent());
  } else if (r.has_max_failures()) {
    budget = fmt::format("{} host(s)", r.max_failures());
  } else if (r.has_max_failure_percent()) {
    budget = fmt::format("{}%", r.max_failure_percent());
  }
  out += fmt::format("budget       {}\n", budget);
  out += fmt::format("source       {}{}\n", s.source(),
                     s.updated_by().empty() ? "" : ", by " + s.updated_by());
  if (view.recent_runs_size() > 0) {
    out += "\nrecent runs:\n";
    for (const auto& run : view.recent_runs()) {
      out += fmt::format("  {}  {:<13} {}\n", run.run_id(), run.state(), run.text());
    }
  }
  return out;
}

// `schedule add`: a whole schedule from the command line.
CLI::App* add_schedule_add(CLI::App& schedule, ScheduleArguments& sched) {
  auto* add = schedule.add_subcommand("add", "add a schedule, or replace one of the same name");
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
  return add;
}

}  // namespace

Expected<tend::Schedule> build_schedule(const ScheduleArguments& args) {
  tend::Schedule s;
  s.set_name(args.name);
  auto task = build_task(args.task);
  if (!task) return task.error();
  *s.mutable_target() = task->target();
  s.set_plugin(task->plugin());
  *s.mutable_params() = task->params();
  s.set_timeout_s(task->timeout_s());
  s.set_dry_run(task->dry_run());
  if (args.cron.empty()) return make_error("--cron is required, e.g. --cron \"0 2 * * sun\"");
  s.set_cron(args.cron);
  if (args.timezone.empty())
    return make_error("--timezone is required, e.g. --timezone Europe/Berlin");
  s.set_timezone(args.timezone);
  if (args.window.empty()) return make_error("--window is required, e.g. --window 4h");
  auto window = seconds_of("--window", args.window);
  if (!window) return window.error();
  s.set_window_s(*window);
  s.set_limit(args.limit);
  s.set_description(args.description);
  s.set_paused(args.paused);
  auto* r = s.mutable_rollout();
  r->set_canary(args.canary);
  r->set_batch(args.batch);
  if (!args.pause.empty()) {
    auto pause = seconds_of("--pause", args.pause);
    if (!pause) return pause.error();
    r->set_pause_s(*pause);
  }
  r->set_max_per_role(args.max_per_role);
  if (args.max_failures) r->set_max_failures(*args.max_failures);
  if (args.max_failure_percent) r->set_max_failure_percent(*args.max_failure_percent);
  if (args.no_health_gate) r->set_health_gate(false);
  return s;
}

int schedule_command(const GlobalOptions& options, const std::string& verb,
                     const ScheduleArguments& args) {
  tend::ScheduleRequest request;
  request.set_by(operator_name());
  request.set_reason(args.task.reason);
  if (verb == "add") {
    auto schedule = build_schedule(args);
    if (!schedule) {
      print_error(schedule.error().message);
      return kUsageError;
    }
    *request.mutable_schedule() = std::move(*schedule);
  } else if (verb != "list") {
    if (args.name.empty()) {
      print_error("which schedule? give its name (tendctl schedule list shows them)");
      return kUsageError;
    }
    request.set_name(args.name);
  }
  if (args.seed) {
    request.set_seed(*args.seed);
    request.set_has_seed(true);
  }
  auto session = Session::open(options);
  if (!session) {
    print_error(session.error().message);
    return kUnreachable;
  }
  auto reply =
      (*session)->ask((*session)->subjects().schedule_request(verb), request, kScheduleTimeout);
  if (!reply) {
    print_error(reply.error().message);
    return kUnreachable;
  }
  if (auto reason = refusal_in(reply->data(), reply->encoding())) {
    print_error(*reason);
    return kUsageError;
  }
  tend::ScheduleReply answer;
  if (auto ok = reply->decode(answer); !ok) {
    print_error("the coordinator's answer cannot be read (" + ok.error().message +
                "): are tendctl and tend-coordinator the same version?");
    return kUnreachable;
  }
  if (args.json) {
    std::cout << to_json(answer) << "\n";
    return kAllSucceeded;
  }
  const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  if (verb == "list") {
    std::cout << render_list(answer, colour);
  } else if (verb == "show" && answer.schedules_size() == 1) {
    std::cout << render_show(answer.schedules(0));
  } else {
    std::cout << answer.message() << "\n";
    if (verb == "add" && answer.schedules_size() == 1) {
      std::cout << "next window: " << answer.schedules(0).next_window_local() << "\n";
    }
    if (verb == "run-now") {
      std::cout << "follow it: tendctl watch " << answer.run_id() << "\n";
    }
  }
  return kAllSucceeded;
}

void add_schedule_command(CLI::App& app, CommandSet& commands) {
  auto args = std::make_shared<ScheduleArguments>();
  auto* schedule = app.add_subcommand("schedule",
                                      "maintenance schedules: add, list, show, pause, "
                                      "resume, remove, run-now");
  schedule->require_subcommand(1);
  std::vector<CLI::App*> verbs;
  verbs.push_back(add_schedule_add(*schedule, *args));
  verbs.push_back(schedule->add_subcommand("list", "every schedule, its next window"));
  for (auto [verb, help] : {std::pair{"show", "one schedule in full, with its recent runs"},
                            std::pair{"pause", "stop a schedule's windows from firing"},
                            std::pair{"resume", "let a paused schedule fire again"},
                            std::pair{"remove", "delete a schedule"},
                            std::pair{"run-now", "run a schedule now, as if its window opened"}}) {
    auto* c = schedule->add_subcommand(verb, help);
    c->add_option("name", args->name, "schedule name")->required();
    c->add_option("--reason", args->task.reason, "why, for the audit trail");
    if (std::string(verb) == "run-now") {
      c->add_option("--seed", args->seed, "choose the same --limit subset as an earlier run");
    }
    verbs.push_back(c);
  }
  for (auto* c : verbs) {
    c->add_flag("--json", args->json, "print the answer as JSON");
    commands.on(c, [args, verb = c->get_name()](const GlobalOptions& global) {
      return schedule_command(global, verb, *args);
    });
  }
}

}  // namespace tend::tendctl
