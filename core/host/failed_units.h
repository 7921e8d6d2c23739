// systemd units in the failed state, as `systemctl --failed --plain
// --no-legend` lists them. On a node where systemd is not the init system
// there are no units to fail: callers report that as such, not as an error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tend::host {

// The unit names, one per line, first field. A leading "●" (some systemctl
// versions print it even with --plain) is dropped.
std::vector<std::string> parse_failed_units(std::string_view text);

// As sd_booted(3) decides it: /run/systemd/system is a directory.
bool systemd_running();

}  // namespace tend::host
