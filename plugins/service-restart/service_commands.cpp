#include "plugins/service-restart/service_commands.h"

#include <unistd.h>

namespace tend::service_restart {
namespace {

constexpr std::string_view kPlaceholder = "{service}";

std::vector<std::string> substitute(std::vector<std::string> argv, const std::string& service) {
  for (auto& arg : argv) {
    for (size_t at = arg.find(kPlaceholder); at != std::string::npos;
         at = arg.find(kPlaceholder, at + service.size())) {
      arg.replace(at, kPlaceholder.size(), service);
    }
  }
  return argv;
}

// "/usr/sbin/service {service} restart" written as one string would be run
// as a program of that name: no shell splits it.
bool looks_like_a_command_line(const std::vector<std::string>& argv) {
  return argv.size() == 1 && argv[0].find(' ') != std::string::npos;
}

}  // namespace

bool systemd_running() { return access("/run/systemd/system", F_OK) == 0; }

Expected<ServiceCommands> service_commands(const CommandSettings& settings,
                                           const std::string& service, bool systemd) {
  for (const auto* setting : {&settings.restart_command, &settings.status_command}) {
    if (looks_like_a_command_line(*setting)) {
      return make_error(
          std::string("service-restart: [plugin.service-restart] ") +
          (setting == &settings.restart_command ? "restart_command" : "status_command") +
          " must be a list of arguments (it runs without a shell), e.g. "
          "[\"/usr/sbin/service\", \"{service}\", \"restart\"], not \"" +
          (*setting)[0] + "\"");
    }
  }
  ServiceCommands commands;
  if (!settings.restart_command.empty()) {
    commands.restart = substitute(settings.restart_command, service);
  } else if (systemd) {
    commands.restart = {"systemctl", "restart", service};
  }
  if (!settings.status_command.empty()) {
    commands.status = substitute(settings.status_command, service);
  } else if (systemd) {
    commands.status = {"systemctl", "is-active", service};
  }
  if (commands.restart.empty() || commands.status.empty()) {
    std::string missing;
    if (commands.restart.empty()) {
      missing = "restart_command = [\"/usr/sbin/service\", \"{service}\", \"restart\"]";
    }
    if (commands.status.empty()) {
      missing += std::string(missing.empty() ? "" : " and ") +
                 "status_command = [\"/usr/sbin/service\", \"{service}\", \"status\"]";
    }
    return make_error(
        "service-restart: systemd is not running on this node, so the commands must be "
        "configured: set " +
        missing + " (or your own) under [plugin.service-restart] in agent.toml");
  }
  return commands;
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) line += ' ';
    line += arg.find(' ') == std::string::npos && !arg.empty() ? arg : "'" + arg + "'";
  }
  return line;
}

}  // namespace tend::service_restart
