// systemd units in the failed state, from `systemctl --failed`. On a node
// where systemd is not the init system there are no units to fail: that is
// reported as such ("systemd not running"), not as an error.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tend::plugins::diagnostics {

// The unit names in `systemctl --failed --plain --no-legend` output, one per
// line, first field. A leading "●" (older systemctl prints it even with
// --plain on some versions) is dropped.
std::vector<std::string> parse_failed_units(std::string_view text);

// As sd_booted(3) decides it: /run/systemd/system is a directory.
bool systemd_running();

struct FailedUnits {
  bool systemd_running = false;
  std::vector<std::string> units;
  std::string error;  // systemctl could not say; units is then empty
};

FailedUnits list_failed_units(const std::function<bool()>& cancelled);

}  // namespace tend::plugins::diagnostics
