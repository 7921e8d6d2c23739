#include "core/tendctl/approval_command.h"

#include <unistd.h>

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

}  // namespace tend::tendctl
