// service-restart: brings a crashed service back — the 2 AM "nginx is down"
// alert. Only services the operator put on this node's allow-list; the
// restart is retried with exponential back-off until the service is active
// (and its health URL answers, when the task gives one), and verify looks
// again before the task counts as fixed.
//
// A service that is already active and healthy is left alone unless the task
// says force=true: the alert may be stale, and a needless restart drops
// connections.
#include <chrono>
#include <iterator>
#include <string>
#include <tend/plugin.hpp>

#include "plugins/service-restart/restart_loop.h"
#include "plugins/service-restart/restart_plan.h"
#include "plugins/service-restart/service_check.h"
#include "plugins/service-restart/service_commands.h"

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;
using namespace tend::service_restart;

constexpr tend_param_spec kParams[] = {
    {.name = "service",
     .type = TEND_PARAM_STRING,
     .required = 1,
     .pattern = "^[A-Za-z0-9_@][A-Za-z0-9_@.:-]{0,254}$",
     .help = "the unit to restart, e.g. nginx; it must be on the node's allow-list"},
    {.name = "force",
     .type = TEND_PARAM_BOOLEAN,
     .default_value = "false",
     .help = "restart even when the service is active and healthy"},
    {.name = "health_url",
     .type = TEND_PARAM_STRING,
     .help = "http(s):// URL (loopback, or a host in allow_hosts) that must answer "
             "expect_status after the restart"},
    {.name = "expect_status",
     .type = TEND_PARAM_INTEGER,
     .default_value = "200",
     .help = "HTTP status health_url must answer with"},
    {.name = "attempts",
     .type = TEND_PARAM_INTEGER,
     .default_value = "3",
     .help = "restarts to try before giving up (1-10)"},
    {.name = "backoff",
     .type = TEND_PARAM_DURATION,
     .default_value = "2s",
     .help = "wait before the second attempt; doubles before each further one"},
    {.name = "settle",
     .type = TEND_PARAM_DURATION,
     .default_value = "10s",
     .help = "how long a restarted service has to become active (and healthy)"},
    {.name = "timeout",
     .type = TEND_PARAM_DURATION,
     .default_value = "90s",
     .help = "longest one restart command may run"},
};

// The hooks all need the plan; a bad one fails the hook with the reason.
tend::Expected<RestartPlan> plan_or_fail(Context& ctx) {
  auto plan = read_plan(ctx);
  if (!plan) ctx.error(plan.error().message);
  return plan;
}

class ServiceRestart : public tend::sdk::Plugin {
 public:
  Outcome diagnose(Context& ctx) override {
    auto plan = plan_or_fail(ctx);
    if (!plan) return Outcome::kFailed;
    ctx.output("service", plan->service);
    ServiceCheck now = check_service(plan->check, [&] { return ctx.cancelled(); });
    if (!now.looked) {
      ctx.error("cannot tell whether {} is running: {}", plan->service, now.error);
      return Outcome::kFailed;
    }
    ctx.output("before", now.state);
    if (now.health) ctx.output("health", now.health->describe());
    if (now.up() && !plan->force) {
      ctx.summary("{} is {}; nothing to do (force=true restarts it anyway)", plan->service,
                  now.describe(plan->check));
      return Outcome::kNothingToDo;
    }
    if (ctx.dry_run()) {
      ctx.output("would_run", command_line(plan->restart_command));
      ctx.summary("would restart {} ({}) with `{}`: up to {} attempt(s), back-off {} doubling",
                  plan->service, now.up() ? "up, but force=true" : now.describe(plan->check),
                  command_line(plan->restart_command), plan->attempts, seconds_text(plan->backoff));
    }
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    auto plan = plan_or_fail(ctx);
    if (!plan) return Outcome::kFailed;
    const auto started = std::chrono::steady_clock::now();
    auto cancelled = [&] { return ctx.cancelled(); };
    ServiceCheck before = check_service(plan->check, cancelled);
    std::string before_state = before.looked ? before.state : "unknown";

    RestartOutcome outcome = restart_until_up(*plan, cancelled, [&](const std::string& line) {
      ctx.log(tend::sdk::LogLevel::kWarn, line);
    });

    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    std::string after_state = outcome.after.looked ? outcome.after.state : "unknown";
    ctx.output("service", plan->service);
    ctx.output("before", before_state);
    ctx.output("after", after_state);
    ctx.output("attempts", outcome.attempts);
    if (outcome.after.health) ctx.output("health", outcome.after.health->describe());
    ctx.figure("attempts", outcome.attempts);
    ctx.figure("services_restarted", outcome.up ? 1 : 0);
    ctx.figure("duration_s", took.count());
    if (outcome.cancelled) {
      ctx.error("{}: cancelled after {} attempt(s), {}", plan->service, outcome.attempts,
                outcome.reason);
      return Outcome::kFailed;
    }
    if (!outcome.up) {
      ctx.error("could not bring {} back: {} attempt(s) failed, the last: {}", plan->service,
                outcome.attempts, outcome.reason);
      return Outcome::kFailed;
    }
    ctx.summary("restarted {} on attempt {} of {}: {} -> {}", plan->service, outcome.attempts,
                plan->attempts, before_state, outcome.after.describe(plan->check));
    return Outcome::kOk;
  }

  // A fresh look: the service may have come up only to crash again.
  Outcome verify(Context& ctx) override {
    auto plan = plan_or_fail(ctx);
    if (!plan) return Outcome::kFailed;
    ServiceCheck now = check_service(plan->check, [&] { return ctx.cancelled(); });
    if (!now.up()) {
      ctx.error("{} is not up after the restart: {}", plan->service, now.describe(plan->check));
      return Outcome::kFailed;
    }
    return Outcome::kOk;
  }
};

}  // namespace

TEND_REGISTER_PLUGIN(ServiceRestart,
                     {.name = "service-restart",
                      .version = TEND_VERSION,
                      .description = "restarts an allowed service until it is active and healthy",
                      .risk = TEND_RISK_MEDIUM,
                      .supports = TEND_SUPPORTS_DRY_RUN,
                      .params = kParams,
                      .param_count = std::size(kParams)});
