// systemd units in the failed state, from `systemctl --failed`. On a node
// where systemd is not the init system there are no units to fail: that is
// reported as such ("systemd not running"), not as an error.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/host/failed_units.h"

namespace tend::plugins::diagnostics {

struct FailedUnits {
  bool systemd_running = false;
  std::vector<std::string> units;
  std::string error;  // systemctl could not say; units is then empty
};

FailedUnits list_failed_units(const std::function<bool()>& cancelled);

}  // namespace tend::plugins::diagnostics
