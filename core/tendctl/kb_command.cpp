#include "core/tendctl/kb_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/tendctl/coordinator_request.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/kb_table.h"
#include "core/tendctl/operator_name.h"
#include "schemas/decision.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

bool colour_wanted() { return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

struct KbCommand {
  bool json = false;
  std::string pattern, plugin, reason;  // promote, demote
};

}  // namespace

int list_kb(const GlobalOptions& options, bool json) {
  int code = 0;
  auto list =
      ask_or_complain<tend::KbList>(options, &Subjects::kb, tend::KbQuery(), kTimeout, code);
  if (!list) return code;
  std::cout << (json ? to_json(*list) + "\n"
                     : render_kb(*list, std::time(nullptr), colour_wanted()));
  return kAllSucceeded;
}

int adjust_kb(const GlobalOptions& options, const std::string& direction,
              const std::string& pattern, const std::string& plugin, const std::string& reason) {
  if (reason.empty()) {
    std::cerr << "error: say why with --reason: it goes to the audit trail\n";
    return kUsageError;
  }
  tend::KbAdjust adjust;
  adjust.set_pattern(pattern);
  adjust.set_plugin(plugin);
  adjust.set_direction(direction);
  adjust.set_by(operator_name());
  adjust.set_reason(reason);
  int code = 0;
  auto entry =
      ask_or_complain<tend::KbEntry>(options, &Subjects::kb_adjust, adjust, kTimeout, code);
  if (!entry) return code;
  std::cout << fmt::format("{} ({}): now {} (confidence {:.0f}%)\n", entry->pattern(),
                           entry->plugin(), entry->tier(), entry->confidence() * 100);
  return kAllSucceeded;
}

void add_kb_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<KbCommand>();
  auto* kb = app.add_subcommand("kb", "the knowledge base: confidence earned per alert pattern");
  kb->add_flag("--json", cmd->json, "print the KbList as JSON");
  commands.on(kb, [cmd](const GlobalOptions& global) { return list_kb(global, cmd->json); });
  for (std::string move : {"promote", "demote"}) {
    auto* m = kb->add_subcommand(move, move == "promote"
                                           ? "one tier up: escalate -> approval -> run alone"
                                           : "one tier down: run alone -> approval -> escalate");
    m->add_option("pattern", cmd->pattern, "the pattern (a route's name)")->required();
    m->add_option("--plugin", cmd->plugin, "when the pattern has entries for several plugins");
    m->add_option("--reason", cmd->reason, "why, for the audit trail")->required();
    commands.on(m, [cmd, move](const GlobalOptions& global) {
      return adjust_kb(global, move, cmd->pattern, cmd->plugin, cmd->reason);
    });
  }
}

}  // namespace tend::tendctl
