// A request to the coordinator whose answer is one message (incidents,
// approvals, the knowledge base, breakers): sent as protobuf, checked for an
// ErrorReply first, then read as `Reply`. Errors say what to check.
#pragma once

#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include "bus/expected.h"
#include "core/tendctl/coordinator_reply.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

template <typename Reply>
struct CoordinatorAnswer {
  bool refused = false;  // the coordinator said no (exit 2): `reason` is its own words
  std::string reason;
  Reply reply;
};

// An error (exit 4) when nobody answered, or the answer cannot be read.
template <typename Reply>
Expected<CoordinatorAnswer<Reply>> ask_coordinator(Session& session, const std::string& subject,
                                                   const google::protobuf::Message& request,
                                                   std::chrono::milliseconds timeout) {
  auto answer = session.ask(subject, request, timeout,
                            "is tend-coordinator overloaded, or waiting for PostgreSQL? Its log "
                            "says more");
  if (!answer) return answer.error();
  CoordinatorAnswer<Reply> out;
  if (auto reason = refusal_in(answer->data(), answer->encoding())) {
    out.refused = true;
    out.reason = *reason;
    return out;
  }
  if (auto ok = answer->decode(out.reply); !ok) {
    return make_error("the coordinator's answer on " + subject + " cannot be read (" +
                      ok.error().message + "): are tendctl and tend-coordinator the same version?");
  }
  return out;
}

// The whole errand: opens a session, asks on `subject`, and says on stderr
// what went wrong. Nothing when it did, with `code` the exit code (4 nobody
// answered, 2 refused); else the reply, with `code` 0.
template <typename Reply>
std::optional<Reply> ask_or_complain(const GlobalOptions& options,
                                     std::string (Subjects::*subject)() const,
                                     const google::protobuf::Message& request,
                                     std::chrono::milliseconds timeout, int& code) {
  auto session = Session::open(options);
  if (!session) {
    std::cerr << "error: " << session.error().message << "\n";
    code = kUnreachable;
    return std::nullopt;
  }
  auto answer =
      ask_coordinator<Reply>(**session, ((*session)->subjects().*subject)(), request, timeout);
  if (!answer) {
    std::cerr << "error: " << answer.error().message << "\n";
    code = kUnreachable;
    return std::nullopt;
  }
  if (answer->refused) {
    std::cerr << "error: " << answer->reason << "\n";
    code = kUsageError;
    return std::nullopt;
  }
  code = kAllSucceeded;
  return std::move(answer->reply);
}

}  // namespace tend::tendctl
