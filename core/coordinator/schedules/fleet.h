// What the scheduler needs of the coordinator it runs in: which hosts a
// target means, their roles, and a way to run a batch and hear its Summary.
// An interface, so a rollout's decisions are tested without a fleet.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/coordinator/dispatch/dispatcher.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {

class Fleet {
 public:
  virtual ~Fleet() = default;
  // Sorted; online or lost less than a day ago.
  virtual std::vector<std::string> hosts(const tend::Target& target) = 0;
  // host → role, for the cap per role.
  virtual std::map<std::string, std::string> roles() = 0;
  // `done` runs on another thread with the batch's Summary.
  virtual void submit(tend::Task task, std::function<void(const tend::Summary&)> done) = 0;
};

// The real one: the coordinator's Dispatcher (expected_hosts, and
// submit_internal with origin schedule), roles from the registry's answer on
// tend.nodes.
class DispatcherFleet final : public Fleet {
 public:
  DispatcherFleet(Dispatcher& dispatcher, Connection& conn, Subjects subjects)
      : dispatcher_(dispatcher), conn_(conn), subjects_(std::move(subjects)) {}

  std::vector<std::string> hosts(const tend::Target& target) override;
  std::map<std::string, std::string> roles() override;
  void submit(tend::Task task, std::function<void(const tend::Summary&)> done) override;

 private:
  Dispatcher& dispatcher_;
  Connection& conn_;
  Subjects subjects_;
};

}  // namespace tend
