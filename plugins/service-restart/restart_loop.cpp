#include "plugins/service-restart/restart_loop.h"

#include <algorithm>
#include <cstdio>

#include "plugins/service-restart/service_commands.h"
#include "plugins/support/command.h"
#include "plugins/support/pause.h"

namespace tend::service_restart {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

constexpr milliseconds kMaxBackoff{5 * 60 * 1000};
// How often the service is looked at while it comes up.
constexpr milliseconds kSettlePoll{250};
constexpr milliseconds kMinProbeTimeout{1000};

// After a restart command succeeded: looks until the service is up, or
// `settle` has passed (at least one look, even with settle = 0).
ServiceCheck wait_until_up(const RestartPlan& plan, const std::function<bool()>& cancelled) {
  const auto deadline = Clock::now() + plan.settle;
  CheckSpec spec = plan.check;
  for (;;) {
    auto left = duration_cast<milliseconds>(deadline - Clock::now());
    // A probe must not outlast the settle time by much.
    spec.health_options.timeout =
        std::clamp(left, kMinProbeTimeout, plan.check.health_options.timeout);
    ServiceCheck check = check_service(spec, cancelled);
    left = duration_cast<milliseconds>(deadline - Clock::now());
    if (check.up() || left <= milliseconds(0)) return check;
    if (!plugins::pause_unless_cancelled(std::min(left, kSettlePoll), cancelled)) return check;
  }
}

// Why a look after a successful restart command does not count as up.
std::string not_up_reason(const ServiceCheck& check, const RestartPlan& plan) {
  if (!check.looked) return check.error;
  if (!check.active) {
    return "still " + check.state + " " + seconds_text(plan.settle) + " after the restart";
  }
  return check.describe(plan.check);
}

}  // namespace

std::string seconds_text(milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

milliseconds backoff_delay(milliseconds base, int attempt) {
  milliseconds delay = base;
  for (int n = 2; n < attempt && delay < kMaxBackoff; ++n) delay *= 2;
  return std::min(delay, kMaxBackoff);
}

RestartOutcome restart_until_up(const RestartPlan& plan, const std::function<bool()>& cancelled,
                                const std::function<void(const std::string&)>& note) {
  RestartOutcome outcome;
  for (int attempt = 1; attempt <= plan.attempts; ++attempt) {
    if (attempt > 1) {
      milliseconds delay = backoff_delay(plan.backoff, attempt);
      note("attempt " + std::to_string(attempt - 1) + " of " + std::to_string(plan.attempts) +
           " failed: " + outcome.reason + "; retrying in " + seconds_text(delay));
      if (!plugins::pause_unless_cancelled(delay, cancelled)) {
        outcome.cancelled = true;
        outcome.reason = "while waiting " + seconds_text(delay) +
                         " to retry (the last attempt failed: " + outcome.reason + ")";
        return outcome;
      }
    }
    outcome.attempts = attempt;
    auto restart = plugins::run_command(
        {.argv = plan.restart_command, .timeout = plan.command_timeout}, cancelled);
    if (restart.cancelled) {
      outcome.cancelled = true;
      outcome.reason = "while `" + command_line(plan.restart_command) + "` was running";
      return outcome;
    }
    if (!restart.ok()) {
      outcome.reason = command_line(plan.restart_command) + " failed: " + restart.describe();
      continue;
    }
    outcome.after = wait_until_up(plan, cancelled);
    if (outcome.after.up()) {
      outcome.up = true;
      outcome.reason.clear();
      return outcome;
    }
    if (cancelled && cancelled()) {
      outcome.cancelled = true;
      outcome.reason = "while waiting for " + plan.service + " to come up";
      return outcome;
    }
    outcome.reason = not_up_reason(outcome.after, plan);
  }
  // The restart command may have failed every time: say how it is now.
  outcome.after = check_service(plan.check, cancelled);
  return outcome;
}

}  // namespace tend::service_restart
