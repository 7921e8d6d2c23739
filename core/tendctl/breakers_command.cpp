#include "core/tendctl/breakers_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/tendctl/breaker_table.h"
#include "core/tendctl/coordinator_request.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/operator_name.h"
#include "schemas/decision.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

struct BreakersCommand {
  bool json = false;
  std::string kind, key, reason;  // reset
};

}  // namespace

int list_breakers(const GlobalOptions& options, bool json) {
  int code = 0;
  auto list = ask_or_complain<tend::BreakerList>(options, &Subjects::breakers, tend::BreakerQuery(),
                                                 kTimeout, code);
  if (!list) return code;
  const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  std::cout << (json ? to_json(*list) + "\n" : render_breakers(*list, std::time(nullptr), colour));
  return kAllSucceeded;
}

int reset_breaker(const GlobalOptions& options, const std::string& kind, const std::string& key,
                  const std::string& reason) {
  if (reason.empty()) {
    std::cerr << "error: say why with --reason: it goes to the audit trail\n";
    return kUsageError;
  }
  tend::BreakerReset reset;
  reset.set_kind(kind);
  reset.set_key(key);
  reset.set_by(operator_name());
  reset.set_reason(reason);
  int code = 0;
  auto breaker =
      ask_or_complain<tend::Breaker>(options, &Subjects::breakers_reset, reset, kTimeout, code);
  if (!breaker) return code;
  std::cout << breaker->kind() << " " << breaker->key() << ": " << breaker->state() << " ("
            << breaker->detail() << ")\n";
  return kAllSucceeded;
}

void add_breakers_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<BreakersCommand>();
  auto* breakers = app.add_subcommand("breakers", "the emergency stop and the circuit breakers");
  breakers->add_flag("--json", cmd->json, "print the BreakerList as JSON");
  commands.on(breakers,
              [cmd](const GlobalOptions& global) { return list_breakers(global, cmd->json); });
  auto* reset = breakers->add_subcommand("reset", "close a breaker, forgetting its counts");
  reset->add_option("kind", cmd->kind, "rate, pattern or fleet")
      ->required()
      ->check(CLI::IsMember({"rate", "pattern", "fleet"}));
  reset->add_option("key", cmd->key, "service@host for rate, the pattern for pattern");
  reset->add_option("--reason", cmd->reason, "why, for the audit trail")->required();
  commands.on(reset, [cmd](const GlobalOptions& global) {
    return reset_breaker(global, cmd->kind, cmd->key, cmd->reason);
  });
}

}  // namespace tend::tendctl
