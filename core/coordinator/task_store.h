// Where the coordinator keeps what happened to each task. The PostgreSQL
// store comes later; until then NoTaskStore keeps nothing beyond the summary
// the coordinator publishes.
//
// Called on the coordinator's event loop thread: an implementation must not
// block it (queue the writes and do them on a thread of its own).
#pragma once

#include <string>
#include <vector>

#include "schemas/result.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {

class TaskStore {
 public:
  virtual ~TaskStore() = default;

  virtual void task_dispatched(const tend::Task& task,
                               const std::vector<std::string>& expected_hosts) = 0;
  virtual void result_received(const tend::Result& result) = 0;
  virtual void task_finished(const tend::Summary& summary) = 0;
};

class NoTaskStore final : public TaskStore {
 public:
  void task_dispatched(const tend::Task&, const std::vector<std::string>&) override {}
  void result_received(const tend::Result&) override {}
  void task_finished(const tend::Summary&) override {}
};

}  // namespace tend
