#include "core/tendctl/task_builder.h"

#include <fmt/format.h>

#include <limits>

#include "bus/names.h"
#include "core/common/duration.h"
#include "core/common/target_matcher.h"
#include "core/tendctl/param_text.h"

namespace tend::tendctl {
namespace {

Expected<void> fill_target(const RunArguments& args, tend::Target& target) {
  const bool named = !args.hosts.empty() || !args.roles.empty() || !args.tags.empty();
  if (!named && !args.all) {
    return make_error(
        "no target: say which nodes with --host, --role, --tag (each repeatable) "
        "or --all");
  }
  // --all matches every node whatever else is given, so a --host next to it
  // is almost certainly a mistake that would run the fix fleet-wide.
  if (named && args.all) {
    return make_error("--all runs on every node: leave out --host, --role and --tag, or --all");
  }
  for (const auto& h : args.hosts) target.add_hosts(h);
  for (const auto& r : args.roles) target.add_roles(r);
  for (const auto& t : args.tags) target.add_tags(t);
  target.set_all(args.all);
  return TargetMatcher::validate(target);
}

Expected<void> fill_params(const std::vector<std::string>& params, tend::Task& task) {
  auto& fields = *task.mutable_params()->mutable_fields();
  for (const auto& text : params) {
    auto param = parse_param(text);
    if (!param) return param.error();
    if (fields.contains(param->name)) {
      return make_error(fmt::format("parameter '{}' is given twice: keep one", param->name));
    }
    fields[param->name] = std::move(param->value);
  }
  return {};
}

}  // namespace

Expected<uint32_t> parse_task_timeout(std::string_view text) {
  auto timeout = parse_duration(text);
  if (!timeout) return make_error("--timeout: " + timeout.error().message);
  if (timeout->count() == 0) return make_error("--timeout must be at least 1s");
  if (timeout->count() > std::numeric_limits<uint32_t>::max()) {
    return make_error(fmt::format("--timeout {} is longer than a task can wait", text));
  }
  return static_cast<uint32_t>(timeout->count());
}

Expected<tend::Task> build_task(const RunArguments& args) {
  tend::Task task;
  if (auto ok = check_name("plugin name", args.plugin); !ok) return ok.error();
  task.set_plugin(args.plugin);
  if (auto ok = fill_target(args, *task.mutable_target()); !ok) return ok.error();
  if (auto ok = fill_params(args.params, task); !ok) return ok.error();
  if (!args.timeout.empty()) {
    auto timeout = parse_task_timeout(args.timeout);
    if (!timeout) return timeout.error();
    task.set_timeout_s(*timeout);
  }
  task.set_dry_run(args.dry_run);
  if (args.force && args.approved_by.empty()) {
    return make_error(
        "--force needs --approved-by NAME: who approved running it outside the nodes' "
        "maintenance windows");
  }
  task.set_force(args.force);
  task.set_approved_by(args.approved_by);
  task.set_reason(args.reason);
  task.set_requested_by(args.requested_by);
  return task;
}

}  // namespace tend::tendctl
