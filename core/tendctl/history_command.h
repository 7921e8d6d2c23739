// `tendctl history`: the tasks the store remembers, newest first, asked of
// a coordinator on tend.history.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"
#include "schemas/query.pb.h"

namespace tend::tendctl {

struct HistoryArguments {
  std::string host;
  std::string plugin;
  std::string status;
  std::string since;   // "24h"
  unsigned limit = 0;  // 0: the coordinator's default (50)
};

// The coordinator checks the filters and says what is wrong with one.
tend::HistoryRequest history_request(const HistoryArguments& args);

// Exit 0 (also when nothing matches), 2 when the coordinator refused a
// filter, 4 when it could not be asked.
int show_history(const GlobalOptions& options, const HistoryArguments& args, bool json);

void add_history_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
