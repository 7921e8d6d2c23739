#include "core/tendctl/audit_tail_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/codec.h"
#include "core/tendctl/audit_view.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/store_query.h"
#include "schemas/query.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kTailTimeout = std::chrono::seconds(30);

struct AuditTailCommand {
  unsigned limit = 0;
  std::string task_id;
  bool json = false;
};

}  // namespace

int audit_tail(const GlobalOptions& options, unsigned limit, const std::string& task_id,
               bool json) {
  tend::AuditTailRequest request;
  request.set_limit(limit);
  request.set_task_id(task_id);
  tend::AuditTailReply reply;
  if (int code = ask_store(options, &Subjects::audit_tail, request, reply, kTailTimeout);
      code != 0) {
    return code;
  }
  if (json) {
    std::cout << to_json(reply) << "\n";
    return 0;
  }
  if (reply.rows().empty()) {
    std::cout << (task_id.empty() ? "The audit trail is empty.\n"
                                  : "No audit rows for task " + task_id + ".\n");
    return 0;
  }
  if (reply.omitted() > 0) {
    std::cout << fmt::format("({} older row{} did not fit in one reply)\n", reply.omitted(),
                             reply.omitted() == 1 ? "" : "s");
  }
  std::cout << render_audit_rows(reply.rows(), /*with_task=*/task_id.empty());
  return 0;
}

void add_audit_tail_command(CLI::App& audit, CommandSet& commands) {
  auto cmd = std::make_shared<AuditTailCommand>();
  auto* tail = audit.add_subcommand("tail", "the newest rows of the audit trail, oldest first");
  tail->footer(kStoreExitCodesHelp);
  tail->add_option("-n,--limit", cmd->limit, "how many rows (default 20, max 1000)");
  tail->add_option("--task", cmd->task_id, "only this task's rows");
  tail->add_flag("--json", cmd->json, "print the AuditTailReply as JSON and nothing else");
  commands.on(tail, [cmd](const GlobalOptions& global) {
    return audit_tail(global, cmd->limit, cmd->task_id, cmd->json);
  });
}

}  // namespace tend::tendctl
