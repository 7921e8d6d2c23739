// Asking a coordinator what its store remembers (schemas/query.proto):
// history, one task, the audit trail. Only a coordinator with a [database]
// url answers these subjects.
#pragma once

#include <google/protobuf/message.h>

#include <chrono>
#include <string>

#include "bus/subjects.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

using SubjectOf = std::string (Subjects::*)() const;

// Sends `request` on `subject` and reads the answer into `reply`. Returns
// kAllSucceeded, or prints why not on stderr and returns kUsageError when
// the coordinator refused the request (its reason says what to change), or
// kUnreachable when NATS or a coordinator with a store could not be reached.
int ask_store(const GlobalOptions& options, SubjectOf subject,
              const google::protobuf::Message& request, google::protobuf::Message& reply,
              std::chrono::milliseconds timeout);

// True when stdout is a terminal and NO_COLOR is not set.
bool colour_wanted();

}  // namespace tend::tendctl
