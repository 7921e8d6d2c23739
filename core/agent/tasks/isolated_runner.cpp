#include "core/agent/tasks/isolated_runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <string.h>

#include <csignal>

#include "bus/bounded_text.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "core/common/byte_size.h"
#include "core/common/trace_point.h"

namespace tend {
namespace {

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  const char* text = strsignal(sig);
  return fmt::format("SIG{} ({})", abbrev ? abbrev : std::to_string(sig), text ? text : "?");
}

// The tail is what explains a failure; keep it when the capture was cut.
void add_capture(tend::Result& result, const char* key, const std::string& text, bool truncated) {
  if (text.empty()) return;
  std::string kept = storable_text(text);
  (*result.mutable_outputs())[key] = truncated ? kept + "\n[output truncated]" : kept;
}

bool looks_like_out_of_memory(const std::string& error) {
  return error.find("bad_alloc") != std::string::npos ||
         error.find("out of memory") != std::string::npos ||
         error.find("Cannot allocate memory") != std::string::npos;
}

}  // namespace

IsolatedRunner::IsolatedRunner(const PluginCatalog& catalog, RunnerPool& pool,
                               IsolationConfig config, SettingsByPlugin settings)
    : catalog_(catalog), pool_(pool), config_(std::move(config)), settings_(std::move(settings)) {}

void IsolatedRunner::set_settings(SettingsByPlugin settings) {
  std::lock_guard lock(settings_mu_);
  settings_ = std::move(settings);
}

std::string IsolatedRunner::admit(const tend::Task& task) const {
  auto plugin = catalog_.find(task.plugin());
  if (!plugin) {
    std::vector<std::string> names;
    for (const auto& info : catalog_.infos()) names.push_back(info.name());
    if (names.empty())
      return fmt::format("unknown plugin '{}': this agent has no plugins loaded", task.plugin());
    return fmt::format("unknown plugin '{}': this agent has {}", task.plugin(),
                       fmt::join(names, ", "));
  }
  if (task.dry_run() && !(plugin->plugin().supports & TEND_SUPPORTS_DRY_RUN)) {
    return fmt::format("plugin {} does not support dry run", task.plugin());
  }
  auto params = validate_params(plugin->plugin(), task.params());
  if (!params) return params.error().message;
  return {};
}

tend::Result IsolatedRunner::run(const tend::Task& task, const std::atomic<bool>& cancel) {
  tend::Result result;
  auto plugin = catalog_.find(task.plugin());
  if (!plugin) {
    result.set_status(tend::REJECTED);
    result.set_error(admit(task));
    return result;
  }
  auto process = pool_.take(plugin->path());
  trace_point("a.taken", task.id());
  if (!process) {
    result.set_status(tend::FAILED);
    result.set_error(process.error().message);
    return result;
  }
  tend::RunnerRequest request;
  request.set_plugin_path(plugin->path().string());
  *request.mutable_task() = task;
  request.set_memory_limit_bytes(config_.memory_limit_bytes);
  request.set_cpu_limit_s(config_.cpu_limit_s);
  request.set_open_files_limit(config_.open_files_limit);
  {
    std::lock_guard lock(settings_mu_);
    if (auto it = settings_.find(task.plugin()); it != settings_.end()) {
      it->second.to_proto(*request.mutable_settings());
    }
  }

  RunnerLimits limits;
  limits.capture_bytes = config_.output_limit_bytes;
  limits.kill_grace = config_.kill_grace;
  trace_point("a.request", task.id());
  RunnerOutcome outcome = (*process)->run(request, cancel, limits);
  trace_point("a.answered", task.id());
  pool_.retire(std::move(*process));
  return describe(task, outcome);
}

tend::Result IsolatedRunner::describe(const tend::Task& task, const RunnerOutcome& outcome) const {
  tend::Result result;
  using End = RunnerOutcome::End;
  switch (outcome.end) {
    case End::kResponded: {
      const auto& r = outcome.response;
      result.set_status(r.rejected()    ? tend::REJECTED
                        : r.succeeded() ? tend::SUCCEEDED
                                        : tend::FAILED);
      result.set_summary(r.summary());
      result.set_error(r.error());
      result.set_verified(r.verified());
      result.mutable_outputs()->insert(r.outputs().begin(), r.outputs().end());
      result.mutable_figures()->insert(r.figures().begin(), r.figures().end());
      if (!r.succeeded() && config_.memory_limit_bytes && looks_like_out_of_memory(r.error())) {
        result.set_error(fmt::format("plugin {} ran out of memory (limit {}): {}", task.plugin(),
                                     format_byte_size(config_.memory_limit_bytes), r.error()));
      }
      break;
    }
    case End::kCrashed:
      result.set_status(tend::CRASHED);
      // At the hard limit the kernel sends SIGKILL, as the OOM killer or an
      // operator would: only the time it used tells them apart.
      if (outcome.signal == SIGXCPU ||
          (outcome.signal == SIGKILL && config_.cpu_limit_s &&
           outcome.cpu_seconds + 0.05 >= static_cast<double>(config_.cpu_limit_s))) {
        result.set_error(fmt::format("plugin {} was killed by {}: CPU time limit of {} s reached",
                                     task.plugin(), signal_name(outcome.signal),
                                     config_.cpu_limit_s));
      } else {
        result.set_error(
            fmt::format("plugin {} crashed: {}", task.plugin(), signal_name(outcome.signal)));
      }
      break;
    case End::kExitedWithoutAnswer:
      result.set_status(tend::CRASHED);
      result.set_error(fmt::format("plugin {} exited with code {} without reporting a result",
                                   task.plugin(), outcome.exit_code));
      break;
    case End::kCancelled:
      // The executor knows whether this was the deadline or a shutdown.
      result.set_status(tend::TIMED_OUT);
      result.set_error(fmt::format("plugin {} was stopped", task.plugin()));
      break;
  }
  add_capture(result, "stdout", outcome.stdout_text, outcome.output_truncated);
  add_capture(result, "stderr", outcome.stderr_text, outcome.output_truncated);
  return result;
}

std::vector<tend::PluginInfo> IsolatedRunner::plugins() const { return catalog_.infos(); }

}  // namespace tend
