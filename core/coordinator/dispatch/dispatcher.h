// What the coordinator's parts (the alert loop, maintenance schedules) need
// of its event loop: start a task that is followed, stored and summed up like
// a submit, and know which nodes a target means. The Coordinator is the one
// real Dispatcher; a part's tests bring their own.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/coordinator/dispatch/task_origin.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {

class Dispatcher {
 public:
  virtual ~Dispatcher() = default;

  // Dispatches `task` (its id generated when it has none); `done` gets its
  // Summary on the event loop's thread, so it must not block. From any thread.
  virtual void submit_internal(tend::Task task, TaskOrigin origin,
                               std::function<void(const tend::Summary&)> done) = 0;

  // The hosts `target` means now (online, or lost less than a day ago),
  // sorted. From any thread but the event loop's; empty when the loop does
  // not answer in time.
  virtual std::vector<std::string> expected_hosts(const tend::Target& target) = 0;
};

}  // namespace tend
