#include "plugins/diagnostics/failed_units.h"

#include <sys/stat.h>

#include <chrono>

#include "plugins/diagnostics/proc_text.h"
#include "plugins/support/command.h"

namespace tend::plugins::diagnostics {
namespace {

constexpr std::chrono::seconds kSystemctlTimeout{15};
constexpr std::string_view kBullet = "\u25cf";  // ●

}  // namespace

std::vector<std::string> parse_failed_units(std::string_view text) {
  std::vector<std::string> units;
  for (std::string_view line : split_lines(text)) {
    auto fields = split_fields(line);
    if (!fields.empty() && (fields[0] == kBullet || fields[0] == "*")) {
      fields.erase(fields.begin());
    }
    if (!fields.empty()) units.emplace_back(fields[0]);
  }
  return units;
}

bool systemd_running() {
  struct stat st {};
  return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

FailedUnits list_failed_units(const std::function<bool()>& cancelled) {
  FailedUnits result;
  result.systemd_running = systemd_running();
  if (!result.systemd_running) return result;
  auto r = run_command({.argv = {"systemctl", "--failed", "--plain", "--no-legend", "--no-pager"},
                        .timeout = kSystemctlTimeout},
                       cancelled);
  if (!r.ok()) {
    result.error = "systemctl --failed: " + r.describe();
    return result;
  }
  result.units = parse_failed_units(r.out);
  return result;
}

}  // namespace tend::plugins::diagnostics
