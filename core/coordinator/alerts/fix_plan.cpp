#include "core/coordinator/alerts/fix_plan.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "bus/names.h"
#include "core/common/target_matcher.h"

namespace tend::alerts {
namespace {

Expected<void> fill(const std::vector<TextTemplate>& templates, const char* what,
                    const Alert& alert, google::protobuf::RepeatedPtrField<std::string>& out) {
  for (const auto& t : templates) {
    auto value = t.render(alert);
    if (!value) return make_error(fmt::format("target {}: {}", what, value.error().message));
    if (auto ok = check_name(fmt::format("target {} from the alert", what), *value); !ok) {
      return ok;
    }
    *out.Add() = *value;
  }
  return {};
}

std::string reason_for(const Route& route, const Alert& alert, const std::string& host) {
  std::string reason = alert.alertname();
  if (!host.empty()) reason += " on " + host;
  for (const char* key : {"summary", "description"}) {
    if (auto it = alert.annotations.find(key);
        it != alert.annotations.end() && !it->second.empty()) {
      reason += ": " + it->second;
      break;
    }
  }
  return fmt::format("{} (route {})", reason, route.name);
}

}  // namespace

Expected<FixPlan> plan_fix(std::shared_ptr<const Route> route, const Alert& alert) {
  FixPlan plan;
  tend::Task& task = plan.task;
  task.set_plugin(route->plugin);
  auto params = route->params.render(alert);
  if (!params) return params.error();
  auto parsed = google::protobuf::util::JsonStringToMessage(params->dump(), task.mutable_params());
  if (!parsed.ok()) {
    return make_error(fmt::format("params do not make a task: {}", parsed.ToString()));
  }
  auto* target = task.mutable_target();
  if (auto ok = fill(route->target.hosts, "host", alert, *target->mutable_hosts()); !ok) {
    return ok.error();
  }
  if (auto ok = fill(route->target.roles, "role", alert, *target->mutable_roles()); !ok) {
    return ok.error();
  }
  if (auto ok = fill(route->target.tags, "tag", alert, *target->mutable_tags()); !ok) {
    return ok.error();
  }
  target->set_all(route->target.all);
  task.set_timeout_s(route->timeout_s);
  task.set_requested_by(kAlertRequester);

  plan.host = alert_host(alert);
  if (plan.host.empty()) plan.host = TargetMatcher::describe(*target);
  if (route->service) {
    auto service = route->service->render(alert);
    if (!service) return make_error(fmt::format("service: {}", service.error().message));
    plan.service = *service;
  } else if (auto it = alert.labels.find("service"); it != alert.labels.end()) {
    plan.service = it->second;
  } else {
    plan.service = route->plugin;
  }
  task.set_reason(reason_for(*route, alert, plan.host));
  plan.route = std::move(route);
  return plan;
}

}  // namespace tend::alerts
