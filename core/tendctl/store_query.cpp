#include "core/tendctl/store_query.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/tendctl/coordinator_reply.h"
#include "core/tendctl/exit_codes.h"

namespace tend::tendctl {

int ask_store(const GlobalOptions& options, SubjectOf subject_of,
              const google::protobuf::Message& request, google::protobuf::Message& reply,
              std::chrono::milliseconds timeout) {
  auto session = Session::open(options);
  if (!session) {
    std::cerr << "error: " << session.error().message << "\n";
    return kUnreachable;
  }
  const std::string subject = ((*session)->subjects().*subject_of)();
  auto answer =
      (*session)->ask(subject, request, timeout,
                      "is PostgreSQL slow, or the coordinator overloaded? Its log says more");
  if (!answer) {
    std::string message = answer.error().message;
    if (message.starts_with("no coordinator is answering")) {
      message +=
          " History and the audit trail are answered only by a coordinator with a "
          "[database] url.";
    }
    std::cerr << "error: " << message << "\n";
    return kUnreachable;
  }
  if (auto reason = refusal_in(answer->data(), answer->encoding())) {
    std::cerr << "error: " << *reason << "\n";
    return kUsageError;
  }
  if (auto ok = answer->decode(reply); !ok) {
    std::cerr << "error: the coordinator's answer on " << subject << " cannot be read ("
              << ok.error().message << "): are tendctl and tend-coordinator the same version?\n";
    return kUnreachable;
  }
  return kAllSucceeded;
}

bool colour_wanted() { return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

}  // namespace tend::tendctl
