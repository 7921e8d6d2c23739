// What the alert loop needs from the coordinator: run a fix and hear how it
// ended, and know which nodes a target means (for the blast radius). The
// coordinator's implementation is CoordinatorFixRunner; tests use their own.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {
class Coordinator;
}

namespace tend::alerts {

class FixRunner {
 public:
  virtual ~FixRunner() = default;

  // Dispatches `task` (its id set) as an alert's fix. `done` gets its
  // Summary on another thread and must not block.
  virtual void run(tend::Task task, std::function<void(const tend::Summary&)> done) = 0;

  // The hosts `target` means now, sorted.
  virtual std::vector<std::string> hosts(const tend::Target& target) = 0;
};

// Through Coordinator::submit_internal, origin alert.
class CoordinatorFixRunner final : public FixRunner {
 public:
  explicit CoordinatorFixRunner(Coordinator& coordinator) : coordinator_(coordinator) {}
  void run(tend::Task task, std::function<void(const tend::Summary&)> done) override;
  std::vector<std::string> hosts(const tend::Target& target) override;

 private:
  Coordinator& coordinator_;
};

}  // namespace tend::alerts
