// Everything one service-restart task needs, read from its params and the
// operator's settings and checked before anything runs: which service (it
// must be on the allow-list), the commands, the optional health URL (this
// node's loopback, or a host in allow_hosts), attempts and back-off.
// Every hook reads it afresh: hooks keep no state between them.
#pragma once

#include <chrono>
#include <string>
#include <tend/expected.hpp>
#include <tend/plugin.hpp>
#include <vector>

#include "plugins/service-restart/service_check.h"

namespace tend::service_restart {

struct RestartPlan {
  std::string service;  // canonical: "nginx", never "nginx.service"
  std::vector<std::string> restart_command;
  CheckSpec check;
  bool force = false;
  int attempts = 3;
  std::chrono::milliseconds backoff{2000};  // before the 2nd attempt; doubles after
  std::chrono::milliseconds settle{10000};  // for the service to come up after a restart
  std::chrono::milliseconds command_timeout{90000};
};

// The plan, or an operator-readable reason that names the setting or param
// to fix.
Expected<RestartPlan> read_plan(const sdk::Context& ctx);

}  // namespace tend::service_restart
