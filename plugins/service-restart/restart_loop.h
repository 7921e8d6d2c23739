// The heart of service-restart: run the restart command, give the service
// `settle` to come up (active, and its health URL answering), and when it
// does not, wait with exponential back-off and try again, up to `attempts`
// restarts. A cancelled task stops at once, even in the middle of a wait.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "plugins/service-restart/restart_plan.h"
#include "plugins/service-restart/service_check.h"

namespace tend::service_restart {

struct RestartOutcome {
  bool up = false;
  bool cancelled = false;
  int attempts = 0;    // restart commands started
  ServiceCheck after;  // the last look at the service
  std::string reason;  // why the last attempt failed, or where it was cancelled
};

// How long to wait before attempt `attempt` (2, 3, ...): `base`, then twice
// that, and so on, each at most five minutes.
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, int attempt);

// `note` hears about each failed attempt, for the task's log.
RestartOutcome restart_until_up(const RestartPlan& plan, const std::function<bool()>& cancelled,
                                const std::function<void(const std::string&)>& note);

// "2 s", "1.5 s": durations in messages.
std::string seconds_text(std::chrono::milliseconds duration);

}  // namespace tend::service_restart
