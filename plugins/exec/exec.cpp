// exec: runs one program the operator allowed on this node — an absolute
// path from [plugin.exec] commands, or a script from [plugin.exec]
// scripts_dir — with the task's arguments as argv and its variables as
// environment, never through a shell. Success is the expected exit code;
// an optional verify command, allowed by the same rules, checks the result.
//
// The rules live in exec_plan.cpp; this file reads params and settings, runs
// the plan and reports.
#include <unistd.h>

#include <cstdio>
#include <iterator>
#include <string>
#include <tend/plugin.hpp>

#include "plugins/exec/argv_text.h"
#include "plugins/exec/exec_plan.h"
#include "plugins/exec/exec_policy.h"
#include "plugins/support/command.h"

namespace {

using tend::Expected;
using tend::sdk::Context;
using tend::sdk::Outcome;
using namespace tend::plugins::exec;

// Per stream: the tail a person needs to see why it failed, small enough
// for a Result.
constexpr size_t kOutputTail = 8 * 1024;
// Summaries name the command; a very long argv is cut.
constexpr size_t kShownCommand = 200;

constexpr tend_param_spec kParams[] = {
    {.name = "command",
     .type = TEND_PARAM_STRING,
     .pattern = "^/.+",
     .help = "absolute path of a program in [plugin.exec] commands (or give script)"},
    {.name = "script",
     .type = TEND_PARAM_STRING,
     .pattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*$",
     .help = "bare name of a script in [plugin.exec] scripts_dir (or give command)"},
    {.name = "args",
     .type = TEND_PARAM_LIST,
     .help = "arguments, each passed to the program exactly as given (no shell)"},
    {.name = "env",
     .type = TEND_PARAM_LIST,
     .help = "KEY=VALUE entries to set; each KEY must be in [plugin.exec] env_allow"},
    {.name = "expect_exit",
     .type = TEND_PARAM_INTEGER,
     .default_value = "0",
     .help = "the exit code that means success"},
    {.name = "timeout",
     .type = TEND_PARAM_DURATION,
     .help = "stop it and all it started after this long (default: [plugin.exec] timeout, 60s)"},
    {.name = "verify_command",
     .type = TEND_PARAM_STRING,
     .pattern = "^/.+",
     .help = "allow-listed program run afterwards; exit 0 means the fix took"},
    {.name = "verify_script",
     .type = TEND_PARAM_STRING,
     .pattern = "^[A-Za-z0-9_-][A-Za-z0-9._-]*$",
     .help = "script from scripts_dir run afterwards; exit 0 means the fix took"},
    {.name = "verify_args", .type = TEND_PARAM_LIST, .help = "arguments for the verify command"},
};

Expected<ExecPolicy> read_policy(const Context& ctx) {
  ExecPolicy policy;
  policy.commands = ctx.setting_list("commands");
  policy.scripts_dir = ctx.setting("scripts_dir");
  policy.env_allow = ctx.setting_list("env_allow");
  if (ctx.has_setting("timeout")) {
    auto timeout = parse_timeout_setting(ctx.setting("timeout"));
    if (!timeout) return timeout.error();
    policy.timeout = *timeout;
  }
  return policy;
}

ExecRequest read_request(const Context& ctx) {
  return {.command = ctx.param_string("command"),
          .script = ctx.param_string("script"),
          .args = ctx.param_list("args"),
          .env = ctx.param_list("env"),
          .expect_exit = ctx.param_int("expect_exit"),
          .timeout_s = ctx.param_int("timeout"),
          .verify_command = ctx.param_string("verify_command"),
          .verify_script = ctx.param_string("verify_script"),
          .verify_args = ctx.param_list("verify_args")};
}

// Planned afresh in every hook: hooks keep no state between them, and the
// checks on a script are best made right before it runs.
Expected<ExecPlan> plan_for(const Context& ctx) {
  auto policy = read_policy(ctx);
  if (!policy) return policy.error();
  return plan_exec(*policy, read_request(ctx), geteuid());
}

std::string shown(const std::vector<std::string>& argv) {
  std::string text = display_command(argv);
  return text.size() <= kShownCommand ? text : text.substr(0, kShownCommand) + "...";
}

std::string seconds_text(std::chrono::milliseconds took) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", static_cast<double>(took.count()) / 1000.0);
  return text;
}

tend::plugins::CommandResult run(Context& ctx, const std::vector<std::string>& argv,
                                 const ExecPlan& plan) {
  return tend::plugins::run_command({.argv = argv,
                                     .env = plan.env,
                                     .working_dir = "/",
                                     .timeout = plan.timeout,
                                     .output_limit = kOutputTail},
                                    [&ctx] { return ctx.cancelled(); });
}

// Outputs under `prefix` ("" or "verify_"): how it ended and what it said.
void report_run(Context& ctx, const std::string& prefix, const tend::plugins::CommandResult& r) {
  if (!r.started) return;
  ctx.output(prefix + "exit_code", r.signal ? -1 : r.exit_code);
  if (r.signal) ctx.output(prefix + "signal", r.signal);
  ctx.output(prefix + "stdout", r.out);
  ctx.output(prefix + "stderr", r.err);
  if (r.truncated) {
    ctx.output(prefix + "output_truncated",
               "only the last " + std::to_string(kOutputTail / 1024) + " KiB of each stream");
  }
  ctx.output(prefix + "duration_s", seconds_text(r.took));
}

// Why a run did not end as expected, or "" when it did. Carries the exit
// code and the last line the program wrote to stderr (stdout if none).
std::string failure(const tend::plugins::CommandResult& r, const std::string& what,
                    const ExecPlan& plan, int expect_exit) {
  if (!r.started) return r.start_error;
  if (r.timed_out) {
    return what + " timed out after " + std::to_string(plan.timeout.count()) +
           " s; it and everything it started were killed";
  }
  if (r.cancelled) return "cancelled: " + what + " and everything it started were stopped";
  std::string said = tend::plugins::last_line(r.err);
  if (said.empty()) said = tend::plugins::last_line(r.out);
  std::string tail = said.empty() ? "" : ": " + said;
  if (r.signal) return what + " was killed by signal " + std::to_string(r.signal) + tail;
  if (r.exit_code == expect_exit) return "";
  return what + " exited with code " + std::to_string(r.exit_code) + " (expected " +
         std::to_string(expect_exit) + ")" + tail;
}

class Exec : public tend::sdk::Plugin {
 public:
  // Checks every rule before anything runs; a dry run reports the exact argv
  // and environment and runs nothing.
  Outcome diagnose(Context& ctx) override {
    auto plan = plan_for(ctx);
    if (!plan) {
      ctx.error(plan.error().message);
      return Outcome::kFailed;
    }
    if (!ctx.dry_run()) return Outcome::kOk;
    ctx.output("argv", json_list(plan->argv));
    ctx.output("env", json_list(plan->env));
    ctx.output("timeout_s", plan->timeout.count());
    ctx.output("expect_exit", plan->expect_exit);
    if (!plan->verify_argv.empty()) ctx.output("verify_argv", json_list(plan->verify_argv));
    std::string verify =
        plan->verify_argv.empty() ? "" : "; then verify with " + shown(plan->verify_argv);
    ctx.summary("would run {} (timeout {} s, success is exit {}){}; ran nothing", shown(plan->argv),
                plan->timeout.count(), plan->expect_exit, verify);
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    auto plan = plan_for(ctx);
    if (!plan) {
      ctx.error(plan.error().message);
      return Outcome::kFailed;
    }
    ctx.output("argv", json_list(plan->argv));
    if (!plan->env.empty()) ctx.output("env", json_list(plan->env));
    auto r = run(ctx, plan->argv, *plan);
    report_run(ctx, "", r);
    ctx.figure("duration_s", static_cast<double>(r.took.count()) / 1000.0);
    std::string what = shown(plan->argv);
    if (auto why = failure(r, what, *plan, plan->expect_exit); !why.empty()) {
      ctx.error(why);
      return Outcome::kFailed;
    }
    ctx.summary("ran {}: exit {} in {} s", what, r.exit_code, seconds_text(r.took));
    return Outcome::kOk;
  }

  // The verify command's exit 0 says the fix took. Without one, the
  // expected exit code (checked in remediate) was the check.
  Outcome verify(Context& ctx) override {
    auto plan = plan_for(ctx);
    if (!plan) {
      ctx.error(plan.error().message);
      return Outcome::kFailed;
    }
    if (plan->verify_argv.empty()) {
      ctx.output("verify", "no verify command given: the exit code was the check");
      return Outcome::kOk;
    }
    ctx.output("verify_argv", json_list(plan->verify_argv));
    auto r = run(ctx, plan->verify_argv, *plan);
    report_run(ctx, "verify_", r);
    if (auto why = failure(r, shown(plan->verify_argv), *plan, 0); !why.empty()) {
      ctx.error(why);
      return Outcome::kFailed;
    }
    ctx.output("verify", "passed: " + shown(plan->verify_argv) + " exited 0");
    return Outcome::kOk;
  }
};

}  // namespace

TEND_REGISTER_PLUGIN(Exec, {.name = "exec",
                            .version = TEND_VERSION,
                            .description = "runs an allow-listed command or script, no shell",
                            .risk = TEND_RISK_HIGH,
                            .supports = TEND_SUPPORTS_DRY_RUN,
                            .params = kParams,
                            .param_count = std::size(kParams)});
