// What a coordinator picks up at start: the fleet as last seen, and the
// tasks still waiting for their summary — its own from before a crash, and
// those of a coordinator that stopped marking itself alive — with every
// result and acknowledgement stored for them. Claimed tasks are made this
// coordinator's, so two coordinators never finish the same task.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/store/pg_connection.h"
#include "core/store/task_store.h"

namespace tend::store {

struct RecoveredTask {
  TaskRecord record;
  std::vector<tend::Result> results;
  std::vector<std::string> acknowledged;
};

struct RecoveredNode {
  tend::Heartbeat heartbeat;
  int64_t first_seen_us = 0;
  int64_t last_seen_us = 0;
};

struct RecoveredState {
  std::vector<RecoveredTask> tasks;
  std::vector<RecoveredNode> nodes;
};

// `owner` is this coordinator; another's unfinished tasks are taken over
// when it has not been seen for `orphaned_after`.
Expected<RecoveredState> recover(PgConnection& conn, const std::string& owner,
                                 std::chrono::seconds orphaned_after);

}  // namespace tend::store
