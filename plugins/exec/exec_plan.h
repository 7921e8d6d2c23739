// Turns what a task asked for into exactly what exec will run, or refuses.
// Every rule that keeps exec safe is checked here, before anything runs:
// commands only from the allow-list, scripts only by bare name from a
// trusted scripts_dir, environment variables only from env_allow.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <tend/expected.hpp>
#include <vector>

#include "plugins/exec/exec_policy.h"

namespace tend::plugins::exec {

// A task's params, in plain values.
struct ExecRequest {
  std::string command;            // an allow-listed absolute path, or
  std::string script;             // a bare name in scripts_dir: exactly one of the two
  std::vector<std::string> args;  // argv[1..], each passed as it is
  std::vector<std::string> env;   // "KEY=VALUE", each KEY in env_allow
  int64_t expect_exit = 0;
  int64_t timeout_s = 0;       // 0: the policy's timeout
  std::string verify_command;  // optional, same rules as command/script
  std::string verify_script;
  std::vector<std::string> verify_args;
};

struct ExecPlan {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::vector<std::string> env;   // set on top of the agent's environment
  std::chrono::seconds timeout{0};
  int expect_exit = 0;
  std::vector<std::string> verify_argv;  // empty: no verify command
};

Expected<ExecPlan> plan_exec(const ExecPolicy& policy, const ExecRequest& request, uid_t agent_uid);

// A script name as a task may give it: letters, digits, '.', '_', '-', not
// starting with '.', so never a path ("../x", "/etc/passwd") or a hidden file.
bool is_bare_name(std::string_view name);

// The absolute path of the program a task chose with `<prefix>command` or
// `<prefix>script` (prefix "" or "verify_"); an error names the param.
Expected<std::string> resolve_program(const ExecPolicy& policy, const std::string& command,
                                      const std::string& script, std::string_view prefix,
                                      uid_t agent_uid);

// Each "KEY=VALUE" entry well-formed and its KEY allowed.
Expected<void> check_env(const ExecPolicy& policy, const std::vector<std::string>& env);

}  // namespace tend::plugins::exec
