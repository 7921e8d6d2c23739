#include "plugins/service-restart/restart_plan.h"

#include <algorithm>

#include "plugins/service-restart/service_allow_list.h"
#include "plugins/service-restart/service_commands.h"
#include "plugins/support/probe_target.h"

namespace tend::service_restart {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A status command answers at once; one that hangs must not eat the task.
constexpr milliseconds kMaxStatusTimeout{10000};
// One health probe waits as long as the service may take to settle, within
// these bounds.
constexpr milliseconds kMinProbeTimeout{1000};
constexpr milliseconds kMaxProbeTimeout{10000};

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// Empty when `value` of param `name` is within [low, high]; the reason otherwise.
std::string out_of_range(const char* name, int64_t value, int64_t low, int64_t high,
                         const char* unit = "") {
  if (value >= low && value <= high) return "";
  return std::string("service-restart: ") + name + " must be between " + std::to_string(low) +
         unit + " and " + std::to_string(high) + unit + ", got " + std::to_string(value) + unit;
}

}  // namespace

Expected<RestartPlan> read_plan(const sdk::Context& ctx) {
  std::vector<std::string> allow = ctx.setting_list("allow");
  if (allow.empty()) {
    return make_error(
        "service-restart: no services are allowed on this node: set [plugin.service-restart] "
        "allow = [\"nginx\"] in agent.toml");
  }
  std::string given = ctx.param_string("service");
  if (!service_allowed(given, allow)) {
    return make_error("service-restart: " + given +
                      " is not on this node's allow-list ([plugin.service-restart] allow = " +
                      joined(allow) + "), so it was left alone");
  }

  RestartPlan plan;
  plan.service = canonical_service_name(given);
  plan.force = ctx.param_bool("force");
  int64_t attempts = ctx.param_int("attempts");
  int64_t backoff_s = ctx.param_int("backoff");
  int64_t settle_s = ctx.param_int("settle");
  int64_t timeout_s = ctx.param_int("timeout");
  int64_t expect_status = ctx.param_int("expect_status");
  for (const std::string& reason :
       {out_of_range("attempts", attempts, 1, 10), out_of_range("backoff", backoff_s, 0, 600, " s"),
        out_of_range("settle", settle_s, 0, 600, " s"),
        out_of_range("timeout", timeout_s, 1, 3600, " s"),
        out_of_range("expect_status", expect_status, 100, 599)}) {
    if (!reason.empty()) return make_error(reason);
  }
  plan.attempts = static_cast<int>(attempts);
  plan.backoff = seconds(backoff_s);
  plan.settle = seconds(settle_s);
  plan.command_timeout = seconds(timeout_s);

  CommandSettings settings{.restart_command = ctx.setting_list("restart_command"),
                           .status_command = ctx.setting_list("status_command")};
  auto commands = service_commands(settings, plan.service, systemd_running());
  if (!commands) return commands.error();
  plan.restart_command = std::move(commands->restart);
  plan.check.status_command = std::move(commands->status);
  plan.check.status_timeout = std::min(plan.command_timeout, kMaxStatusTimeout);

  if (ctx.has_param("health_url")) {
    std::string why;
    auto target = plugins::parse_probe_url(ctx.param_string("health_url"), &why);
    if (!target) return make_error("service-restart: health_url: " + why);
    std::string refusal =
        plugins::probe_refusal(*target, ctx.setting_list("allow_hosts"), "service-restart");
    if (!refusal.empty()) return make_error(refusal);
    plan.check.health = std::move(*target);
    plan.check.health_options.expect_status = static_cast<int>(expect_status);
    plan.check.health_options.ca_file = ctx.setting("ca_file");
    plan.check.health_options.timeout = std::clamp(plan.settle, kMinProbeTimeout, kMaxProbeTimeout);
  }
  return plan;
}

}  // namespace tend::service_restart
