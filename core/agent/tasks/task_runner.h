// The seam between taking a task and running a plugin: the agent hands a task
// to a TaskRunner and gets one Result back, whatever happened inside.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "schemas/heartbeat.pb.h"
#include "schemas/result.pb.h"
#include "schemas/task.pb.h"

namespace tend {

class TaskRunner {
 public:
  virtual ~TaskRunner() = default;

  // Checks what can be checked before queueing (plugin known, params valid).
  // Returns an empty string when the task may run, else why it is REJECTED.
  virtual std::string admit(const tend::Task& task) const = 0;

  // Runs the task; must return (TIMED_OUT) soon after `cancel` turns true.
  // Fills status, summary, outputs, figures, verified and error; the caller
  // fills identity and timing.
  virtual tend::Result run(const tend::Task& task, const std::atomic<bool>& cancel) = 0;

  // What the heartbeat advertises.
  virtual std::vector<tend::PluginInfo> plugins() const = 0;
};

}  // namespace tend
