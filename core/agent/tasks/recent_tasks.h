// Remembers the tasks an agent has seen, so the same task id delivered twice
// (a retry, or a node matching two tag subjects) runs once and the second
// delivery gets the first result.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "schemas/result.pb.h"

namespace tend {

class RecentTasks {
 public:
  explicit RecentTasks(size_t capacity = 4096) : capacity_(capacity) {}

  enum class Admission { kNew, kRunning, kDone };
  struct Seen {
    Admission admission;
    std::optional<tend::Result> result;  // set for kDone
  };

  // Records `task_id` as running if it is new; otherwise says what became of it.
  Seen admit(const std::string& task_id);
  void finish(const tend::Result& result);

 private:
  size_t capacity_;
  std::mutex mu_;
  std::unordered_map<std::string, std::optional<tend::Result>> entries_;
  std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace tend
