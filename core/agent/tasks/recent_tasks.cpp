#include "core/agent/tasks/recent_tasks.h"

namespace tend {

RecentTasks::Seen RecentTasks::admit(const std::string& task_id) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(task_id); it != entries_.end()) {
    if (it->second) return {Admission::kDone, it->second};
    return {Admission::kRunning, std::nullopt};
  }
  entries_.emplace(task_id, std::nullopt);
  order_.push_back(task_id);
  while (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  return {Admission::kNew, std::nullopt};
}

void RecentTasks::finish(const tend::Result& result) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(result.task_id()); it != entries_.end()) it->second = result;
}

}  // namespace tend
