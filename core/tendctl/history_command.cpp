#include "core/tendctl/history_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/codec.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/history_table.h"
#include "core/tendctl/store_query.h"

namespace tend::tendctl {
namespace {

constexpr auto kHistoryTimeout = std::chrono::seconds(30);

struct HistoryCommand {
  HistoryArguments args;
  bool json = false;
};

}  // namespace

tend::HistoryRequest history_request(const HistoryArguments& args) {
  tend::HistoryRequest request;
  request.set_host(args.host);
  request.set_plugin(args.plugin);
  request.set_status(args.status);
  request.set_since(args.since);
  request.set_limit(args.limit);
  return request;
}

int show_history(const GlobalOptions& options, const HistoryArguments& args, bool json) {
  tend::HistoryReply reply;
  if (int code =
          ask_store(options, &Subjects::history, history_request(args), reply, kHistoryTimeout);
      code != 0) {
    return code;
  }
  std::cout << (json ? to_json(reply) + "\n" : render_history(reply, colour_wanted()));
  return 0;
}

void add_history_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<HistoryCommand>();
  HistoryArguments& args = cmd->args;
  auto* history = app.add_subcommand("history", "list past and running tasks, newest first");
  history->footer(kStoreExitCodesHelp);
  history->add_option("--host", args.host, "only tasks this host took part in");
  history->add_option("--plugin", args.plugin, "only this plugin's tasks");
  history->add_option("--status", args.status,
                      "only tasks with a result of this status (SUCCEEDED, FAILED, TIMED_OUT, "
                      "CRASHED, REJECTED); with --host, that host's result");
  history->add_option("--since", args.since,
                      "only tasks dispatched since this long ago: 90s, 30m, 24h, 7d");
  history->add_option("--limit", args.limit, "at most this many tasks (default 50, max 1000)");
  history->add_flag("--json", cmd->json, "print the HistoryReply as JSON and nothing else");
  commands.on(history, [cmd](const GlobalOptions& global) {
    return show_history(global, cmd->args, cmd->json);
  });
}

}  // namespace tend::tendctl
