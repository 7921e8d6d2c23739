// ACKs and results that arrive before the task they belong to. A task an
// operator publishes straight to tend.task.* reaches the agents and this
// coordinator at the same moment, on different subscriptions; under load an
// agent's ACK or even its result can be handled first. They wait here for a
// few seconds, then are dropped (they belonged to another coordinator's
// task, or to one that already finished).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "schemas/result.pb.h"

namespace tend {

class EarlyArrivals {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kKeepFor{10};
  static constexpr size_t kMaxTasks = 10'000;
  // ACKs and results held at once, over all tasks: a flood of them for ids
  // nobody dispatched pushes the oldest out instead of growing.
  static constexpr size_t kMaxHeld = 100'000;

  void ack(const std::string& task_id, const std::string& host, Clock::time_point now);
  void result(const tend::Result& result, Clock::time_point now);

  struct Waiting {
    std::vector<std::string> acks;
    std::vector<tend::Result> results;
  };
  // What arrived early for `task_id`, removed from here.
  Waiting take(const std::string& task_id);

 private:
  Waiting& entry(const std::string& task_id, Clock::time_point now);
  void forget_oldest();

  std::map<std::string, Waiting> waiting_;
  std::deque<std::pair<Clock::time_point, std::string>> order_;  // oldest first
  size_t held_ = 0;                                              // ACKs and results in waiting_
};

}  // namespace tend
