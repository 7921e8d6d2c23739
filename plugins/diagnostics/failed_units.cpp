#include "plugins/diagnostics/failed_units.h"

#include <chrono>

#include "plugins/support/command.h"

namespace tend::plugins::diagnostics {
namespace {

constexpr std::chrono::seconds kSystemctlTimeout{15};

}  // namespace

FailedUnits list_failed_units(const std::function<bool()>& cancelled) {
  FailedUnits result;
  result.systemd_running = host::systemd_running();
  if (!result.systemd_running) return result;
  auto r = run_command({.argv = {"systemctl", "--failed", "--plain", "--no-legend", "--no-pager"},
                        .timeout = kSystemctlTimeout},
                       cancelled);
  if (!r.ok()) {
    result.error = "systemctl --failed: " + r.describe();
    return result;
  }
  result.units = host::parse_failed_units(r.out);
  return result;
}

}  // namespace tend::plugins::diagnostics
