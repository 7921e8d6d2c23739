#include "core/tendctl/show_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/codec.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/store_query.h"
#include "core/tendctl/task_detail_view.h"
#include "schemas/query.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kShowTimeout = std::chrono::seconds(30);

struct ShowCommand {
  std::string task_id;
  bool json = false;
};

}  // namespace

int show_task(const GlobalOptions& options, const std::string& task_id, bool json) {
  tend::ShowRequest request;
  request.set_task_id(task_id);
  tend::ShowReply reply;
  if (int code = ask_store(options, &Subjects::show, request, reply, kShowTimeout); code != 0) {
    return code;
  }
  std::cout << (json ? to_json(reply) + "\n" : render_task_detail(reply, colour_wanted()));
  return 0;
}

void add_show_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<ShowCommand>();
  auto* show = app.add_subcommand(
      "show", "one task in full: every host's result, outputs, figures and its audit rows");
  show->footer(kStoreExitCodesHelp);
  show->add_option("task_id", cmd->task_id, "the task's id (tendctl history lists them)")
      ->required();
  show->add_flag("--json", cmd->json, "print the ShowReply as JSON and nothing else");
  commands.on(show, [cmd](const GlobalOptions& global) {
    return show_task(global, cmd->task_id, cmd->json);
  });
}

}  // namespace tend::tendctl
