// tendctl's subcommands, each defined in its own *_command file: the file
// adds its CLI11 subcommand (options, help, footer) and tells the set what
// runs when the command line names it. main() parses, then runs that.
#pragma once

#include <functional>
#include <map>

#include "core/tendctl/session.h"

namespace CLI {
class App;
}

namespace tend::tendctl {

// What a subcommand does once the whole command line is parsed and the
// global options are known. Returns the exit code (exit_codes.h).
using CommandRun = std::function<int(const GlobalOptions&)>;

class CommandSet {
 public:
  // `run` is what happens when `command` is the innermost subcommand given.
  void on(const CLI::App* command, CommandRun run);

  // Runs the innermost subcommand `app` parsed; kUsageError when that one
  // has nothing to run.
  int run_parsed(const CLI::App& app, const GlobalOptions& global) const;

 private:
  std::map<const CLI::App*, CommandRun> runs_;
};

}  // namespace tend::tendctl
