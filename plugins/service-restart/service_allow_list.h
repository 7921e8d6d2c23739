// Which services a task may restart on this node: only those the operator
// listed in [plugin.service-restart] allow. "nginx" and "nginx.service" name
// the same systemd unit, so they match each other either way round.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tend::service_restart {

// The unit name without a ".service" suffix: what the commands are given.
std::string canonical_service_name(std::string_view name);

bool service_allowed(std::string_view service, const std::vector<std::string>& allow);

}  // namespace tend::service_restart
