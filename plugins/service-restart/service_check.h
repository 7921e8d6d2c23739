// One look at a service: is it active (its status command exits 0), and, if
// the task gave a health URL, does that answer as expected?
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plugins/support/health_probe.h"
#include "plugins/support/probe_target.h"

namespace tend::service_restart {

// What to look at, and how long each look may take.
struct CheckSpec {
  std::vector<std::string> status_command;
  std::optional<plugins::ProbeTarget> health;  // none: being active is enough
  plugins::ProbeOptions health_options;
  std::chrono::milliseconds status_timeout{10000};
};

struct ServiceCheck {
  bool looked = false;  // false: the status command could not tell (see error)
  std::string error;
  bool active = false;
  std::string state;  // "active", "inactive", "failed"... as the status command put it
  std::optional<plugins::ProbeResult> health;  // only probed when active

  bool up() const { return looked && active && (!health || health->ok); }
  // "active; http://127.0.0.1/health answered 200 in 2.0 ms", "inactive",
  // "active, but http://127.0.0.1/health answered 500, expected 200".
  std::string describe(const CheckSpec& spec) const;
};

ServiceCheck check_service(const CheckSpec& spec, const std::function<bool()>& cancelled);

}  // namespace tend::service_restart
