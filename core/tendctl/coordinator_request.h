// A request to the coordinator whose answer is one message (incidents,
// approvals, the knowledge base, breakers): sent as protobuf, checked for an
// ErrorReply first, then read as `Reply`. Errors say what to check.
#pragma once

#include <chrono>
#include <string>

#include "bus/expected.h"
#include "core/tendctl/coordinator_reply.h"
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

}  // namespace tend::tendctl
