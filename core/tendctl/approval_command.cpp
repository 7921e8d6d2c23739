#include "core/tendctl/approval_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "bus/names.h"
#include "core/tendctl/coordinator_request.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/operator_name.h"
#include "core/tendctl/pending_table.h"
#include "schemas/approval.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

// What approve and deny read from the command line (one of them is given).
struct AnswerCommand {
  std::string task_id, comment;
  bool force = false;
};

}  // namespace

int list_pending(const GlobalOptions& options, bool json) {
  int code = 0;
  auto list = ask_or_complain<tend::PendingList>(options, &Subjects::pending, tend::PendingQuery(),
                                                 kTimeout, code);
  if (!list) return code;
  const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  std::cout << (json ? to_json(*list) + "\n" : render_pending(*list, std::time(nullptr), colour));
  return kAllSucceeded;
}

int answer_approval(const GlobalOptions& options, bool approve, const std::string& task_id,
                    const std::string& comment, bool force) {
  if (auto ok = check_name("task id", task_id); !ok) {
    std::cerr << "error: " << ok.error().message << "\n";
    return kUsageError;
  }
  auto session = Session::open(options);
  if (!session) {
    std::cerr << "error: " << session.error().message << "\n";
    return kUnreachable;
  }
  tend::ApprovalAnswer answer;
  answer.set_by(operator_name());
  answer.set_comment(comment);
  answer.set_force(force);
  const auto& subjects = (*session)->subjects();
  auto reply = ask_coordinator<tend::ApprovalReply>(
      **session, approve ? subjects.approve(task_id) : subjects.deny(task_id), answer, kTimeout);
  if (!reply) {
    std::cerr << "error: " << reply.error().message << "\n";
    return kUnreachable;
  }
  if (reply->refused) {
    std::cerr << "error: " << reply->reason << "\n";
    return kUsageError;
  }
  std::cout << reply->reply.message() << "\n";
  return kAllSucceeded;
}

void add_approval_commands(CLI::App& app, CommandSet& commands) {
  auto pending_json = std::make_shared<bool>(false);
  auto* pending = app.add_subcommand("pending", "fixes waiting for a human's approval");
  pending->add_flag("--json", *pending_json, "print the PendingList as JSON");
  commands.on(pending, [pending_json](const GlobalOptions& global) {
    return list_pending(global, *pending_json);
  });
  auto cmd = std::make_shared<AnswerCommand>();
  for (std::string verb : {"approve", "deny"}) {
    const bool approve = verb == "approve";
    auto* a = app.add_subcommand(
        verb, approve ? "let a pending fix run now" : "refuse a pending fix: it never runs");
    a->add_option("task", cmd->task_id, "the task id tendctl pending shows")->required();
    a->add_option("--comment", cmd->comment, "why, for the audit trail");
    if (approve) {
      a->add_flag("--force", cmd->force,
                  "let it run even outside the nodes' [maintenance] windows");
    }
    commands.on(a, [cmd, approve](const GlobalOptions& global) {
      return answer_approval(global, approve, cmd->task_id, cmd->comment, cmd->force);
    });
  }
}

}  // namespace tend::tendctl
