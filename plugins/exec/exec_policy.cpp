#include "plugins/exec/exec_policy.h"

#include <charconv>

namespace tend::plugins::exec {

Expected<std::chrono::seconds> parse_timeout_setting(std::string_view text) {
  auto wrong = [&] {
    return make_error(
        "setting 'timeout' must be seconds or a number with s, m or h (\"90s\", "
        "\"5m\"), got '" +
        std::string(text) + "' (agent.toml)");
  };
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number <= 0) return wrong();
  std::string_view unit(end, text.data() + text.size() - end);
  int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (scale == 0 || number > INT32_MAX / scale) return wrong();
  return std::chrono::seconds(number * scale);
}

Expected<void> check_policy(const ExecPolicy& policy) {
  for (const auto& command : policy.commands) {
    if (command.empty() || command.front() != '/') {
      return make_error("setting 'commands' must list absolute paths, got '" + command +
                        "' (agent.toml)");
    }
  }
  if (!policy.scripts_dir.empty() && policy.scripts_dir.front() != '/') {
    return make_error("setting 'scripts_dir' must be an absolute path, got '" + policy.scripts_dir +
                      "' (agent.toml)");
  }
  return {};
}

std::string no_commands_allowed() {
  return "exec: no commands are allowed on this node: set [plugin.exec] commands = "
         "[\"/usr/bin/systemctl\"] in agent.toml";
}

std::string no_scripts_allowed() {
  return "exec: no scripts are allowed on this node: set [plugin.exec] scripts_dir = "
         "\"/etc/tend/scripts\" in agent.toml";
}

std::string no_env_allowed() {
  return "exec: a task may set no environment variables on this node: set [plugin.exec] "
         "env_allow = [\"NAME\"] in agent.toml";
}

}  // namespace tend::plugins::exec
