// What the coordinator tells its store, from the event loop. An
// implementation must not block the loop: StoreWriter queues everything and
// writes in batches on a thread of its own. NoTaskStore keeps nothing (no
// [database] url, and tests about dispatch alone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/store/audit_chain.h"
#include "schemas/heartbeat.pb.h"
#include "schemas/result.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend::store {

// A task as the coordinator dispatched (or saw) it.
struct TaskRecord {
  tend::Task task;
  std::string origin;  // submit, direct, alert, schedule
  std::string target;  // as people read it: "roles=web-server"
  std::vector<std::string> expected_hosts;
  int64_t dispatched_us = 0;
  int64_t deadline_us = 0;  // timeout + grace
  std::string reply_to;     // where a requester waits for the summary
  bool reply_json = true;
};

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  virtual void task_dispatched(const TaskRecord& record) = 0;
  virtual void task_acknowledged(const std::string& task_id, const std::string& host) = 0;
  virtual void result_received(const tend::Result& result) = 0;
  virtual void task_finished(const tend::Summary& summary) = 0;
  virtual void node_heard(const tend::Heartbeat& heartbeat) = 0;
  virtual void audit(AuditEntry entry) = 0;

  // How long the oldest item not yet written has waited, in seconds.
  virtual double lag_seconds() const { return 0; }

  // True when unfinished tasks outlive this process (they are recovered at
  // the next start), so a shutdown need not end them.
  virtual bool keeps_tasks() const { return false; }
};

class NoTaskStore final : public TaskStore {
 public:
  void task_dispatched(const TaskRecord&) override {}
  void task_acknowledged(const std::string&, const std::string&) override {}
  void result_received(const tend::Result&) override {}
  void task_finished(const tend::Summary&) override {}
  void node_heard(const tend::Heartbeat&) override {}
  void audit(AuditEntry) override {}
};

}  // namespace tend::store
