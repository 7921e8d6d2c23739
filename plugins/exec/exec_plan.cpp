#include "plugins/exec/exec_plan.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "plugins/exec/trusted_file.h"

namespace tend::plugins::exec {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "\"" : ", \"") + item + "\"";
  return "[" + out + "]";
}

bool is_env_name(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key.front()))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

Expected<std::string> allowed_command(const ExecPolicy& policy, const std::string& command,
                                      std::string_view param) {
  if (policy.commands.empty()) return make_error(no_commands_allowed());
  if (!contains(policy.commands, command)) {
    return make_error(
        std::string(param) + " " + command +
        " is not allowed on this node: [plugin.exec] commands = " + joined(policy.commands));
  }
  // Said now rather than at exec, so that a dry run already knows.
  if (access(command.c_str(), X_OK) != 0) {
    return make_error(std::string(param) + " " + command +
                      " cannot be run: " + std::strerror(errno));
  }
  return command;
}

Expected<std::string> allowed_script(const ExecPolicy& policy, const std::string& script,
                                     std::string_view param, uid_t agent_uid) {
  if (policy.scripts_dir.empty()) return make_error(no_scripts_allowed());
  if (!is_bare_name(script)) {
    return make_error(std::string(param) + " must be a bare file name in " + policy.scripts_dir +
                      " (letters, digits, '.', '_', '-'; no '/' or '..'), got \"" + script + "\"");
  }
  if (auto dir = check_scripts_dir(policy.scripts_dir, agent_uid); !dir) return dir.error();
  std::string path = policy.scripts_dir;
  if (path.back() != '/') path += '/';
  path += script;
  if (auto file = check_script_file(path, agent_uid); !file) return file.error();
  return path;
}

}  // namespace

bool is_bare_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

Expected<std::string> resolve_program(const ExecPolicy& policy, const std::string& command,
                                      const std::string& script, std::string_view prefix,
                                      uid_t agent_uid) {
  std::string command_param = std::string(prefix) + "command";
  std::string script_param = std::string(prefix) + "script";
  if (command.empty() == script.empty()) {
    return make_error("give exactly one of " + command_param + " and " + script_param);
  }
  if (!command.empty()) return allowed_command(policy, command, command_param);
  return allowed_script(policy, script, script_param, agent_uid);
}

Expected<void> check_env(const ExecPolicy& policy, const std::vector<std::string>& env) {
  if (env.empty()) return {};
  if (policy.env_allow.empty()) return make_error(no_env_allowed());
  for (const auto& entry : env) {
    size_t equals = entry.find('=');
    std::string key = entry.substr(0, equals);
    if (equals == std::string::npos || !is_env_name(key)) {
      return make_error(
          "env entries must read KEY=VALUE with KEY made of letters, digits and "
          "'_', got \"" +
          entry + "\"");
    }
    if (!contains(policy.env_allow, key)) {
      return make_error("env " + key + " may not be set on this node: [plugin.exec] env_allow = " +
                        joined(policy.env_allow));
    }
  }
  return {};
}

Expected<ExecPlan> plan_exec(const ExecPolicy& policy, const ExecRequest& request,
                             uid_t agent_uid) {
  if (auto ok = check_policy(policy); !ok) return ok.error();
  if (request.expect_exit < 0 || request.expect_exit > 255) {
    return make_error("expect_exit must be an exit code from 0 to 255, got " +
                      std::to_string(request.expect_exit));
  }
  if (request.timeout_s < 0) return make_error("timeout must not be negative");
  auto program = resolve_program(policy, request.command, request.script, "", agent_uid);
  if (!program) return program.error();
  if (auto env = check_env(policy, request.env); !env) return env.error();

  ExecPlan plan;
  plan.argv.push_back(*program);
  plan.argv.insert(plan.argv.end(), request.args.begin(), request.args.end());
  plan.env = request.env;
  plan.timeout = request.timeout_s > 0 ? std::chrono::seconds(request.timeout_s) : policy.timeout;
  plan.expect_exit = static_cast<int>(request.expect_exit);

  bool has_verify = !request.verify_command.empty() || !request.verify_script.empty();
  if (!has_verify && !request.verify_args.empty()) {
    return make_error("verify_args given without verify_command or verify_script");
  }
  if (has_verify) {
    auto verifier = resolve_program(policy, request.verify_command, request.verify_script,
                                    "verify_", agent_uid);
    if (!verifier) return verifier.error();
    plan.verify_argv.push_back(*verifier);
    plan.verify_argv.insert(plan.verify_argv.end(), request.verify_args.begin(),
                            request.verify_args.end());
  }
  return plan;
}

}  // namespace tend::plugins::exec
