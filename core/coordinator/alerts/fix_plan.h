// What a route makes of one alert: the Task to run (plugin, params and
// target filled in from the alert), and the (service, host) it touches for
// the breakers. An alert that lacks a label the route needs, or whose values
// cannot be a tend host, role or tag, gives an error saying so: the alert is
// then escalated.
#pragma once

#include <memory>
#include <string>

#include "bus/expected.h"
#include "core/coordinator/alerts/alert.h"
#include "core/coordinator/alerts/route.h"
#include "schemas/task.pb.h"

namespace tend::alerts {

inline constexpr const char* kAlertRequester = "alertmanager";

struct FixPlan {
  std::shared_ptr<const Route> route;
  tend::Task task;  // no id yet
  std::string service;
  std::string host;  // the alert's host, else the target as words
};

Expected<FixPlan> plan_fix(std::shared_ptr<const Route> route, const Alert& alert);

}  // namespace tend::alerts
