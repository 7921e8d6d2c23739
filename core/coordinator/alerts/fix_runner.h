// What the alert loop needs from the coordinator: run a fix and hear how it
// ended, and know which nodes a target means (for the blast radius). The
// coordinator's implementation is DispatcherFixRunner; tests use their own.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/coordinator/dispatch/dispatcher.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

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

// Through the coordinator's Dispatcher, origin alert.
class DispatcherFixRunner final : public FixRunner {
 public:
  explicit DispatcherFixRunner(Dispatcher& dispatcher) : dispatcher_(dispatcher) {}
  void run(tend::Task task, std::function<void(const tend::Summary&)> done) override;
  std::vector<std::string> hosts(const tend::Target& target) override;

 private:
  Dispatcher& dispatcher_;
};

}  // namespace tend::alerts
