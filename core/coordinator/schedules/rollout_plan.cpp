#include "core/coordinator/schedules/rollout_plan.h"

#include <deque>

namespace tend {
namespace {

// Takes up to `size` hosts from `waiting`, in order, within the role cap.
std::vector<std::string> take_batch(std::deque<std::string>& waiting, size_t size,
                                    const std::map<std::string, std::string>& roles,
                                    size_t max_per_role) {
  std::vector<std::string> batch;
  std::map<std::string, size_t> per_role;
  for (auto it = waiting.begin(); it != waiting.end() && batch.size() < size;) {
    auto role = roles.find(*it);
    const std::string& r = role == roles.end() ? std::string() : role->second;
    if (max_per_role > 0 && per_role[r] >= max_per_role) {
      ++it;
      continue;
    }
    ++per_role[r];
    batch.push_back(std::move(*it));
    it = waiting.erase(it);
  }
  return batch;
}

}  // namespace

Batches plan_batches(const std::vector<std::string>& hosts,
                     const std::map<std::string, std::string>& roles, const RolloutShape& shape) {
  std::deque<std::string> waiting(hosts.begin(), hosts.end());
  Batches batches;
  const size_t total = hosts.size();
  if (shape.canary > 0 && !waiting.empty()) {
    batches.push_back(take_batch(waiting, shape.canary, roles, shape.max_per_role));
  }
  const size_t size = shape.batch ? std::max<size_t>(1, shape.batch->of(total)) : total;
  while (!waiting.empty()) {
    auto batch = take_batch(waiting, size, roles, shape.max_per_role);
    if (batch.empty()) break;  // cannot happen: the first waiting host always fits
    batches.push_back(std::move(batch));
  }
  return batches;
}

}  // namespace tend
