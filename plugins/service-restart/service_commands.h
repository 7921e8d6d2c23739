// The two programs service-restart runs for a unit: one that restarts it and
// one that says whether it is active. With systemd running (the directory
// /run/systemd/system exists, as sd_booted() checks) they default to
// `systemctl restart <unit>` and `systemctl is-active <unit>`; the operator
// may set either in agent.toml as an argv list with {service} in it:
//
//   [plugin.service-restart]
//   restart_command = ["/usr/sbin/service", "{service}", "restart"]
//   status_command = ["/usr/sbin/service", "{service}", "status"]
//
// Without systemd both must be set. Each runs without a shell.
#pragma once

#include <string>
#include <tend/expected.hpp>
#include <vector>

namespace tend::service_restart {

struct ServiceCommands {
  std::vector<std::string> restart;
  std::vector<std::string> status;
};

// What agent.toml says; empty when a key is absent.
struct CommandSettings {
  std::vector<std::string> restart_command;
  std::vector<std::string> status_command;
};

bool systemd_running();

// The commands for `service`; an error when a command is neither configured
// nor available from systemd.
Expected<ServiceCommands> service_commands(const CommandSettings& settings,
                                           const std::string& service, bool systemd);

// argv as one line for people: "systemctl restart nginx".
std::string command_line(const std::vector<std::string>& argv);

}  // namespace tend::service_restart
