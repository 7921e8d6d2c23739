#include "core/coordinator/early_arrivals.h"

namespace tend {

void EarlyArrivals::forget_oldest() {
  // An id taken already leaves its place in order_ behind: nothing to free.
  if (auto it = waiting_.find(order_.front().second); it != waiting_.end()) {
    held_ -= it->second.acks.size() + it->second.results.size();
    waiting_.erase(it);
  }
  order_.pop_front();
}

EarlyArrivals::Waiting& EarlyArrivals::entry(const std::string& task_id, Clock::time_point now) {
  while (!order_.empty() && (now - order_.front().first > kKeepFor || order_.size() >= kMaxTasks ||
                             held_ >= kMaxHeld)) {
    forget_oldest();
  }
  auto [it, inserted] = waiting_.try_emplace(task_id);
  if (inserted) order_.emplace_back(now, task_id);
  ++held_;
  return it->second;
}

void EarlyArrivals::ack(const std::string& task_id, const std::string& host,
                        Clock::time_point now) {
  entry(task_id, now).acks.push_back(host);
}

void EarlyArrivals::result(const tend::Result& result, Clock::time_point now) {
  entry(result.task_id(), now).results.push_back(result);
}

EarlyArrivals::Waiting EarlyArrivals::take(const std::string& task_id) {
  auto it = waiting_.find(task_id);
  if (it == waiting_.end()) return {};
  Waiting found = std::move(it->second);
  waiting_.erase(it);
  held_ -= found.acks.size() + found.results.size();
  return found;
}

}  // namespace tend
