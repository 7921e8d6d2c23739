// Plays a tend-agent over a plain bus Connection, so the coordinator can be
// tested against a real nats-server without plugins: it heartbeats, takes
// the tasks meant for it, and acknowledges and answers as told.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/common/target_matcher.h"

namespace tend::testing {

class FakeAgent {
 public:
  enum class Behaviour {
    kSucceed,  // acknowledges, answers SUCCEEDED
    kFail,     // acknowledges, answers FAILED with an error
    kAckOnly,  // acknowledges, never answers (a task that hangs)
    kSilent,   // heartbeats but never acknowledges (cut off from tasks)
  };

  FakeAgent(const std::string& url, const Subjects& subjects, NodeIdentity identity,
            Behaviour behaviour);

  void heartbeat();
  int tasks_taken() const { return tasks_taken_; }

 private:
  void on_task(const Message& msg);

  Subjects subjects_;
  NodeIdentity identity_;
  Behaviour behaviour_;
  std::mutex mu_;
  std::set<std::string> seen_;  // task ids, as the real agent dedupes them
  std::atomic<int> tasks_taken_{0};
  // Last, so no delivery runs while the rest is torn down.
  std::unique_ptr<Connection> conn_;
  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace tend::testing
