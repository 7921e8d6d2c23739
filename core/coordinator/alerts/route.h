// One rule of routes.toml: which alerts it takes, and the fix it proposes.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/coordinator/alerts/label_matcher.h"
#include "core/coordinator/alerts/param_template.h"

namespace tend::alerts {

enum class Risk { kLow, kMedium, kHigh };
std::string_view risk_name(Risk risk);

// The nodes a fix is for, each entry a template ("{{ host }}").
struct TargetTemplate {
  std::vector<TextTemplate> hosts;
  std::vector<TextTemplate> roles;
  std::vector<TextTemplate> tags;
  bool all = false;
};

struct Route {
  std::string name;       // the alert pattern in the knowledge base; unique in the file
  int line = 0;           // where it starts in routes.toml
  std::string alertname;  // "" = any alert name (then matchers decide)
  std::vector<LabelMatcher> matchers;  // all must match
  std::string plugin;
  ParamTemplate params;
  TargetTemplate target;
  std::optional<TextTemplate> service;  // for the per-(service, host) breaker
  double prior_confidence = 0.5;
  Risk risk = Risk::kMedium;  // high: never runs on its own
  bool requires_approval = false;
  std::chrono::seconds verify_within{0};  // 0: the plugin's verify is enough
  bool silence = false;    // silence the alert in Alertmanager while the fix is verified
  uint32_t timeout_s = 0;  // 0: the coordinator's default

  bool matches(const Alert& alert) const;
};

// routes.toml, read and checked: first match wins, in file order.
class RouteTable {
 public:
  RouteTable() = default;
  RouteTable(std::string file, std::vector<std::shared_ptr<const Route>> routes)
      : file_(std::move(file)), routes_(std::move(routes)) {}

  std::shared_ptr<const Route> match(const Alert& alert) const;
  const std::vector<std::shared_ptr<const Route>>& routes() const { return routes_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<std::shared_ptr<const Route>> routes_;
};

}  // namespace tend::alerts
