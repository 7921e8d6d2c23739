#include "core/coordinator/decisions/approval_queue.h"

#include <algorithm>

namespace tend::decisions {

void ApprovalQueue::add(PendingFix fix) {
  const std::string id = fix.task_id;
  pending_.insert_or_assign(id, std::move(fix));
}

std::optional<PendingFix> ApprovalQueue::take(const std::string& task_id) {
  auto node = pending_.extract(task_id);
  if (node.empty()) return std::nullopt;
  return std::move(node.mapped());
}

const PendingFix* ApprovalQueue::find(const std::string& task_id) const {
  auto it = pending_.find(task_id);
  return it == pending_.end() ? nullptr : &it->second;
}

std::vector<PendingFix> ApprovalQueue::take_expired(WallTime now) {
  std::vector<PendingFix> expired;
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.expires_at <= now) {
      expired.push_back(std::move(it->second));
      it = pending_.erase(it);
    } else {
      ++it;
    }
  }
  return expired;
}

std::optional<WallTime> ApprovalQueue::next_expiry() const {
  std::optional<WallTime> next;
  for (const auto& [id, fix] : pending_) {
    if (!next || fix.expires_at < *next) next = fix.expires_at;
  }
  return next;
}

std::vector<PendingFix> ApprovalQueue::all() const {
  std::vector<PendingFix> out;
  for (const auto& [id, fix] : pending_) out.push_back(fix);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.requested_at < b.requested_at; });
  return out;
}

}  // namespace tend::decisions
