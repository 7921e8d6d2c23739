#include "core/tendctl/command_set.h"

#include <CLI/CLI.hpp>

#include "core/tendctl/exit_codes.h"

namespace tend::tendctl {

void CommandSet::on(const CLI::App* command, CommandRun run) { runs_[command] = std::move(run); }

int CommandSet::run_parsed(const CLI::App& app, const GlobalOptions& global) const {
  // At most one subcommand per level: tendctl requires exactly one, and its
  // subcommands inherit that maximum from it.
  const CLI::App* given = &app;
  while (!given->get_subcommands().empty()) given = given->get_subcommands().front();
  auto found = runs_.find(given);
  return found == runs_.end() ? kUsageError : found->second(global);
}

}  // namespace tend::tendctl
