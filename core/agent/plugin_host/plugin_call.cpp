#include "core/agent/plugin_host/plugin_call.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>

namespace tend {
namespace {

// One run of the lifecycle; each step either moves on or finishes `outcome_`.
class Lifecycle {
 public:
  Lifecycle(const tend_plugin& plugin, const PluginParams& params, const PluginSettings& settings,
            bool dry_run, const std::atomic<bool>& cancel)
      : plugin_(plugin), dry_run_(dry_run), call_(plugin.name, params, settings, dry_run, cancel) {}

  PluginOutcome run() {
    if (dry_run_ && !(plugin_.supports & TEND_SUPPORTS_DRY_RUN)) {
      return fail(fmt::format("plugin {} does not support dry run", plugin_.name));
    }
    if (plugin_.on_diagnose) {
      auto diagnosed = step(plugin_.on_diagnose, "diagnose");
      if (!diagnosed) return finish();
      if (*diagnosed == TEND_OUTCOME_NOTHING_TO_DO) return succeed("nothing to do");
    }
    if (dry_run_) {
      return succeed(plugin_.on_diagnose
                         ? fmt::format("dry run: {} would remediate", plugin_.name)
                         : fmt::format("dry run: {} has no diagnose step, so nothing to report",
                                       plugin_.name));
    }
    auto remediated = step(plugin_.on_remediate, "remediate");
    if (!remediated) return finish();
    if (*remediated == TEND_OUTCOME_NOTHING_TO_DO) return succeed("nothing to do");
    if (!plugin_.on_verify) return succeed(fmt::format("{} remediated", plugin_.name));
    auto verified = step(plugin_.on_verify, "verify");
    if (!verified) return roll_back();
    outcome_.verified = true;
    return succeed(fmt::format("{} remediated and verified", plugin_.name));
  }

 private:
  // The hook's outcome, or nullopt once the run has failed (outcome_ says why).
  std::optional<tend_outcome> step(tend_hook hook, const char* name) {
    if (call_.cancelled()) {
      outcome_.error = fmt::format("cancelled before {}", name);
      return std::nullopt;
    }
    tend_outcome result = call_.run(hook, name);
    std::string error = call_.take_error();
    switch (result) {
      case TEND_OUTCOME_OK:
      case TEND_OUTCOME_NOTHING_TO_DO:
        return result;
      case TEND_OUTCOME_FAILED:
        // Remediate is the step people expect to fail: its reason stands
        // alone ("repo error"); the others say which step it was.
        if (error.empty()) error = "the plugin gave no reason";
        outcome_.error = std::string_view(name) == "remediate"
                             ? error
                             : fmt::format("{} failed: {}", name, error);
        return std::nullopt;
    }
    outcome_.error = fmt::format("{} returned {}, which is not an outcome this agent knows", name,
                                 static_cast<int>(result));
    return std::nullopt;
  }

  PluginOutcome roll_back() {
    std::string verify_error = outcome_.error;
    if (!plugin_.on_rollback) {
      outcome_.error = verify_error + "; the plugin has no rollback";
      return finish();
    }
    spdlog::warn("plugin {}: {}; rolling back", plugin_.name, verify_error);
    auto rolled = step(plugin_.on_rollback, "rollback");
    if (rolled) {
      outcome_.rolled_back = true;
      outcome_.error = verify_error + "; rolled back";
    } else {
      outcome_.error = verify_error + "; " + outcome_.error;
    }
    return finish();
  }

  PluginOutcome fail(std::string error) {
    outcome_.error = std::move(error);
    return finish();
  }

  PluginOutcome succeed(const char* fallback_summary) {
    return succeed(std::string(fallback_summary));
  }
  PluginOutcome succeed(std::string fallback_summary) {
    outcome_.succeeded = true;
    outcome_.error.clear();
    if (call_.report().summary.empty()) call_.report().summary = std::move(fallback_summary);
    return finish();
  }

  PluginOutcome finish() {
    PluginReport& report = call_.report();
    if (report.dropped) {
      spdlog::warn("plugin {}: dropped {} report(s) beyond the limits of one run", plugin_.name,
                   report.dropped);
    }
    outcome_.summary = report.summary.empty() ? outcome_.error : std::move(report.summary);
    outcome_.outputs = std::move(report.outputs);
    outcome_.figures = std::move(report.figures);
    outcome_.log = std::move(report.log);
    return std::move(outcome_);
  }

  const tend_plugin& plugin_;
  bool dry_run_;
  PluginCall call_;
  PluginOutcome outcome_;
};

}  // namespace

PluginOutcome run_lifecycle(const PluginLibrary& library, PluginParams params,
                            const PluginSettings& settings, bool dry_run,
                            const std::atomic<bool>& cancel) {
  return Lifecycle(library.plugin(), params, settings, dry_run, cancel).run();
}

}  // namespace tend
