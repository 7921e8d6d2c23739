#include "plugins/service-restart/service_check.h"

#include <algorithm>
#include <cctype>

#include "plugins/service-restart/service_commands.h"
#include "plugins/support/command.h"

namespace tend::service_restart {
namespace {

// `systemctl is-active` prints one word ("failed", "activating"); a SysV
// status script prints sentences, which are no state name.
bool is_state_word(const std::string& text) {
  return !text.empty() && text.size() <= 32 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || c == '-';
  });
}

}  // namespace

std::string ServiceCheck::describe(const CheckSpec& spec) const {
  if (!looked) return error;
  if (!active || !health) return state;
  std::string url = spec.health ? spec.health->text : "the health URL";
  return health->ok ? state + "; " + url + " " + health->describe()
                    : state + ", but " + url + ": " + health->reason;
}

ServiceCheck check_service(const CheckSpec& spec, const std::function<bool()>& cancelled) {
  ServiceCheck check;
  auto status = plugins::run_command({.argv = spec.status_command, .timeout = spec.status_timeout},
                                     cancelled);
  // An exit code is an answer (3 is "not running" by LSB convention);
  // anything else means the command could not tell.
  if (!status.started || status.timed_out || status.cancelled || status.signal != 0) {
    check.error =
        "status command " + command_line(spec.status_command) + " failed: " + status.describe();
    return check;
  }
  check.looked = true;
  check.active = status.exit_code == 0;
  std::string said = plugins::last_line(status.out);
  if (is_state_word(said)) {
    check.state = said;
  } else {
    check.state = check.active
                      ? "active"
                      : "not active (status exited with " + std::to_string(status.exit_code) + ")";
  }
  if (check.active && spec.health) {
    check.health = plugins::probe(*spec.health, spec.health_options, cancelled);
  }
  return check;
}

}  // namespace tend::service_restart
