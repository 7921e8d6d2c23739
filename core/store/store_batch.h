// One transaction's worth of what the coordinator learned: new tasks,
// acknowledgements, results, finished summaries, the latest heartbeat of
// each node and audit entries. Written with COPY into per-session staging
// tables and moved into place with INSERT ... ON CONFLICT, so a result that
// arrives twice (a redelivery, a retry) is stored once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/store/audit_chain.h"
#include "core/store/pg_connection.h"
#include "core/store/task_store.h"

namespace tend::store {

struct AckRecord {
  std::string task_id;
  std::string host;
  int64_t at_us = 0;
};

struct FinishedRecord {
  tend::Summary summary;
  int64_t at_us = 0;
};

struct NodeRecord {
  tend::Heartbeat heartbeat;
  int64_t first_us = 0;  // the earliest heartbeat in this batch
  int64_t last_us = 0;
  bool sample_health = false;  // also keep its health figures as a sample
};

struct StoreBatch {
  std::vector<TaskRecord> tasks;
  std::vector<AckRecord> acks;
  std::vector<tend::Result> results;
  std::vector<FinishedRecord> finished;
  std::map<std::string, NodeRecord> nodes;  // by host: only the latest matters
  std::vector<AuditEntry> audit;

  size_t size() const {
    return tasks.size() + acks.size() + results.size() + finished.size() + nodes.size() +
           audit.size();
  }
  bool empty() const { return size() == 0; }
};

// Once per connection, before the first batch.
Expected<void> prepare_session(PgConnection& conn);

// Writes `batch` in one transaction, with an audit entry for each result
// stored for the first time, and (with `mark_owner_alive`) marks `owner`
// alive. Returns those results.
Expected<std::vector<tend::Result>> write_batch(PgConnection& conn, const StoreBatch& batch,
                                                const std::string& owner,
                                                bool mark_owner_alive = true);

}  // namespace tend::store
