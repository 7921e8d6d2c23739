// What the operator lets the exec plugin run on this node: the [plugin.exec]
// table of agent.toml. A task chooses among these, never beyond them.
//
//   [plugin.exec]
//   commands = ["/usr/bin/systemctl", "/usr/sbin/logrotate"]
//   scripts_dir = "/etc/tend/scripts"
//   env_allow = ["RAILS_ENV"]
//   timeout = "2m"
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <tend/expected.hpp>
#include <vector>

namespace tend::plugins::exec {

inline constexpr std::chrono::seconds kDefaultTimeout{60};

struct ExecPolicy {
  std::vector<std::string> commands;               // absolute program paths; empty: none allowed
  std::string scripts_dir;                         // empty: no scripts allowed
  std::vector<std::string> env_allow;              // variable names a task may set; empty: none
  std::chrono::seconds timeout = kDefaultTimeout;  // when the task gives none
};

// The `timeout` setting: whole seconds ("90") or a number with s, m or h
// ("90s", "5m", "1h"). Errors name the setting.
Expected<std::chrono::seconds> parse_timeout_setting(std::string_view text);

// Settings that cannot be right whatever the task asks: a command that is
// not an absolute path, a relative scripts_dir.
Expected<void> check_policy(const ExecPolicy& policy);

// The refusals that tell the operator which line of agent.toml to write.
std::string no_commands_allowed();
std::string no_scripts_allowed();
std::string no_env_allowed();

}  // namespace tend::plugins::exec
