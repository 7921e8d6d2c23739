// `tendctl pending` as a person reads it: each fix waiting for approval,
// what it would do, why it waits and how long it has left.
#pragma once

#include <cstdint>
#include <string>

#include "schemas/approval.pb.h"

namespace tend::tendctl {

// TASK INCIDENT ALERT PLUGIN TARGET CONFIDENCE WAITING EXPIRES, then each
// one's reason and why it waits, and how to answer.
std::string render_pending(const tend::PendingList& list, int64_t now_unix_s, bool colour);

}  // namespace tend::tendctl
