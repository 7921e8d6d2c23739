// package-update: apt-get update, then upgrade — everything, only security
// upgrades, or only named packages — keeping changed config files, and
// report what was upgraded (old -> new) and whether the node now needs a
// reboot. A dry run simulates (apt-get -s) and changes nothing; verify
// simulates again and checks that nothing it upgraded is still upgradable.
#include <chrono>
#include <cstdio>
#include <iterator>
#include <string>
#include <tend/plugin.hpp>
#include <vector>

#include "plugins/package-update/apt_get.h"
#include "plugins/package-update/apt_output.h"
#include "plugins/package-update/reboot_flag.h"
#include "plugins/package-update/update_request.h"
#include "plugins/package-update/upgrade_selection.h"
#include "plugins/support/task_memory.h"

namespace {

using tend::Expected;
using tend::make_error;
using tend::sdk::Context;
using tend::sdk::Outcome;
using namespace tend::package_update;

constexpr tend_param_spec kParams[] = {
    {.name = "update",
     .type = TEND_PARAM_BOOLEAN,
     .default_value = "true",
     .help = "run apt-get update first (not in a dry run, which changes nothing)"},
    {.name = "security_only",
     .type = TEND_PARAM_BOOLEAN,
     .default_value = "false",
     .help = "only upgrades whose new version comes from a security archive"},
    {.name = "packages",
     .type = TEND_PARAM_LIST,
     .pattern = "^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$",
     .help = "only these packages (when they have an upgrade)"},
    {.name = "autoremove",
     .type = TEND_PARAM_BOOLEAN,
     .default_value = "false",
     .help = "apt-get autoremove afterwards"},
    {.name = "timeout",
     .type = TEND_PARAM_DURATION,
     .default_value = "10m",
     .help = "limit for apt-get update and each simulation (the upgrade itself is never cut off)"},
};

// How many packages a summary names before "and N more".
constexpr size_t kNamed = 5;

std::string plural(size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", seconds);
  return text;
}

std::string named_list(const std::vector<std::string>& items, size_t shown = kNamed) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < shown; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > shown) out += " and " + std::to_string(items.size() - shown) + " more";
  return out;
}

std::vector<std::string> described(const std::vector<PackageUpgrade>& upgrades) {
  std::vector<std::string> lines;
  for (const auto& upgrade : upgrades) lines.push_back(upgrade.describe());
  return lines;
}

std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

Outcome fail(Context& ctx, const std::string& error) {
  ctx.error(error);
  return Outcome::kFailed;
}

// What apt offers now, what this task takes of it, and what installing that
// takes: a subset may need newer versions of packages it did not name.
struct Look {
  std::vector<PackageUpgrade> offered;
  Selection selection;
  std::vector<PackageUpgrade> plan;  // every package the upgrade will change
  int security = 0;                  // of those, from a security archive
};

Expected<Look> look(const AptGet& apt, const UpdateRequest& request, Context& ctx) {
  auto cancelled = [&ctx] { return ctx.cancelled(); };
  auto simulated = apt.simulate_upgrade(request.timeout, cancelled);
  if (!simulated.ok()) return make_error(explain_failure(simulated, "apt-get -s upgrade"));
  Look found;
  found.offered = parse_simulation(simulated.out);
  found.selection = select_upgrades(found.offered, request.rules);
  const auto& targets = found.selection.targets;
  for (const auto& target : targets) {
    if (!valid_package_name(target.name) || !valid_version(target.new_version)) {
      return make_error("apt-get offered an upgrade this plugin cannot pass back to it: " +
                        target.describe());
    }
  }
  found.plan = targets;
  if (!targets.empty() && !found.selection.everything()) {
    auto installing = apt.simulate_install(targets, request.timeout, cancelled);
    if (!installing.ok()) {
      return make_error(explain_failure(installing, "apt-get -s install --only-upgrade"));
    }
    found.plan = parse_simulation(installing.out);
    for (const auto& needed : found.plan) {
      if (excluded(request.rules, needed)) {
        return make_error("the upgrades chosen need " + needed.describe() +
                          " too, which [plugin.package-update] exclude forbids; nothing was "
                          "upgraded");
      }
    }
  }
  for (const auto& change : found.plan) found.security += from_security(change) ? 1 : 0;
  return found;
}

void report_reboot(Context& ctx, const RebootFlag& reboot) {
  ctx.output("reboot_required", reboot.required);
  if (!reboot.packages.empty()) ctx.output("reboot_required_packages", lines(reboot.packages));
  ctx.figure("reboot_required", reboot.required ? 1 : 0);
}

std::string reboot_text(const RebootFlag& reboot) {
  if (!reboot.required) return "no reboot needed";
  return reboot.packages.empty() ? "reboot required"
                                 : "reboot required by " + named_list(reboot.packages);
}

void report_nothing_to_do(Context& ctx, const UpdateRequest& request, const Look& found,
                          const RebootFlag& reboot) {
  const size_t others = found.selection.left_out.size();
  std::string line;
  if (found.offered.empty()) {
    line = "all packages are up to date";
  } else if (request.rules.security_only) {
    line = "no security upgrades pending (" + plural(others, "other upgrade") + " available)";
  } else if (!request.rules.packages.empty()) {
    line = "none of the named packages has an upgrade to take (" +
           named_list(request.rules.packages) + ")";
  } else {
    line = "nothing to upgrade: the " + plural(others, "upgrade") +
           " available are excluded by [plugin.package-update] exclude";
  }
  if (reboot.required) line += "; " + reboot_text(reboot) + " from an earlier upgrade";
  ctx.summary(line);
  if (others > 0) ctx.output("not_taken", lines(described(found.selection.left_out)));
  report_reboot(ctx, reboot);
}

void report_plan(Context& ctx, const Look& found, const RebootFlag& reboot) {
  const auto& plan = found.plan;
  ctx.summary("would upgrade {} ({} from security): {}", plural(plan.size(), "package"),
              found.security, named_list(described(plan)));
  ctx.output("would_upgrade", lines(described(plan)));
  if (!found.selection.left_out.empty()) {
    ctx.output("not_taken", lines(described(found.selection.left_out)));
  }
  if (!found.selection.named_not_taken.empty()) {
    ctx.output("named_without_upgrade", lines(found.selection.named_not_taken));
  }
  ctx.output("package_lists", "as of the last apt-get update: a dry run does not refresh them");
  ctx.figure("packages_upgradable", static_cast<double>(plan.size()));
  report_reboot(ctx, reboot);
}

class PackageUpdate : public tend::sdk::Plugin {
 public:
  Outcome diagnose(Context& ctx) override {
    auto request = read_update_request(ctx);
    if (!request) return fail(ctx, request.error().message);
    AptGet apt(request->apt);
    if (request->update && !ctx.dry_run()) {
      auto updated = apt.update(request->timeout, [&ctx] { return ctx.cancelled(); });
      if (!updated.ok()) return fail(ctx, explain_failure(updated, "apt-get update"));
      auto warnings = lines_starting(updated.err + "\n" + updated.out, "W: ");
      if (!warnings.empty()) ctx.output("update_warnings", lines(warnings));
    }
    auto found = look(apt, *request, ctx);
    if (!found) return fail(ctx, found.error().message);
    RebootFlag reboot = read_reboot_flag(request->reboot_file);
    if (found->selection.targets.empty()) {
      report_nothing_to_do(ctx, *request, *found, reboot);
      return Outcome::kNothingToDo;
    }
    if (ctx.dry_run()) report_plan(ctx, *found, reboot);
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    auto request = read_update_request(ctx);
    if (!request) return fail(ctx, request.error().message);
    AptGet apt(request->apt);
    auto found = look(apt, *request, ctx);
    if (!found) return fail(ctx, found.error().message);
    const auto& targets = found->selection.targets;
    const auto& plan = found->plan;
    if (targets.empty()) {
      report_nothing_to_do(ctx, *request, *found, read_reboot_flag(request->reboot_file));
      return Outcome::kNothingToDo;
    }
    if (ctx.cancelled()) return fail(ctx, "cancelled before anything was upgraded");

    const auto started = std::chrono::steady_clock::now();
    auto upgraded = found->selection.everything() ? apt.upgrade() : apt.install_upgrades(targets);
    if (!upgraded.ok()) {
      ctx.output("apt_output", upgraded.out + upgraded.err);
      return fail(ctx, explain_failure(upgraded, "apt-get upgrade"));
    }
    AptCounts counts =
        parse_counts(upgraded.out).value_or(AptCounts{static_cast<int>(plan.size()), 0, 0, 0});
    if (request->autoremove) {
      auto removed = apt.autoremove();
      if (!removed.ok()) return fail(ctx, explain_failure(removed, "apt-get autoremove"));
      int count = parse_counts(removed.out).value_or(AptCounts{}).removed;
      ctx.figure("packages_removed", count);
      counts.removed += count;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    RebootFlag reboot = read_reboot_flag(request->reboot_file);

    ctx.figure("packages_upgraded", counts.upgraded);
    ctx.figure("duration_s", seconds);
    ctx.output("upgraded", lines(described(plan)));
    ctx.output("security_upgrades", found->security);
    if (counts.newly_installed > 0) ctx.output("newly_installed", counts.newly_installed);
    if (counts.removed > 0) ctx.output("removed", counts.removed);
    report_reboot(ctx, reboot);
    ctx.summary("upgraded {} ({} from security) in {} s: {}; {}",
                plural(static_cast<size_t>(counts.upgraded), "package"), found->security,
                seconds_text(seconds), named_list(described(plan)), reboot_text(reboot));
    memory_.remember(ctx.ctx(), plan);
    return Outcome::kOk;
  }

  Outcome verify(Context& ctx) override {
    auto targets = memory_.take(ctx.ctx());
    if (!targets) return fail(ctx, "no record of what remediate upgraded in this task");
    auto request = read_update_request(ctx);
    if (!request) return fail(ctx, request.error().message);
    auto simulated =
        AptGet(request->apt).simulate_upgrade(request->timeout, [&ctx] { return ctx.cancelled(); });
    if (!simulated.ok()) return fail(ctx, explain_failure(simulated, "apt-get -s upgrade"));
    std::vector<std::string> still;
    for (const auto& offered : parse_simulation(simulated.out)) {
      for (const auto& target : *targets) {
        if (offered.name == target.name) still.push_back(offered.describe());
      }
    }
    if (!still.empty()) {
      return fail(ctx, "still upgradable after the upgrade: " + named_list(still));
    }
    return Outcome::kOk;
  }

 private:
  tend::plugins::TaskMemory<std::vector<PackageUpgrade>> memory_;
};

}  // namespace

TEND_REGISTER_PLUGIN(PackageUpdate,
                     {.name = "package-update",
                      .version = TEND_VERSION,
                      .description = "apt-get update and upgrade (all, security-only or named "
                                     "packages); reports upgrades and whether a reboot is needed",
                      .risk = TEND_RISK_HIGH,
                      .supports = TEND_SUPPORTS_DRY_RUN,
                      .params = kParams,
                      .param_count = std::size(kParams)});
