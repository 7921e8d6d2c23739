#include "core/coordinator/decisions/approval_desk.h"

#include <spdlog/spdlog.h>

namespace tend::decisions {

ApprovalDesk::ApprovalDesk(ApprovalSettings settings, store::Database& db,
                           CoordinatorMetrics* metrics)
    : settings_(settings), metrics_(metrics), approval_store_(db) {}

void ApprovalDesk::changed() {
  if (metrics_ != nullptr) metrics_->pending_approvals(approvals_.size());
}

Expected<void> ApprovalDesk::load() {
  auto pending = approval_store_.load_pending();
  if (!pending) return pending.error();
  for (auto& fix : *pending) approvals_.add(std::move(fix));
  changed();
  return {};
}

PendingFix ApprovalDesk::request(ApprovalRequest request, WallTime now) {
  request.fix.requested_at = now;
  request.fix.expires_at = now + settings_.ttl;
  if (auto ok = approval_store_.requested(request); !ok) {
    spdlog::error("alerts: approval for incident {} not kept: {}", request.fix.incident_id,
                  ok.error().message);
  }
  approvals_.add(request.fix);
  changed();
  return request.fix;
}

const PendingFix* ApprovalDesk::find(const std::string& task_id) const {
  return approvals_.find(task_id);
}

void ApprovalDesk::answer(const std::string& task_id, bool approve,
                          const tend::ApprovalAnswer& answer, WallTime now) {
  approvals_.take(task_id);
  changed();
  const char* state = approve ? "approved" : "denied";
  if (auto ok = approval_store_.answered(task_id, state, answer.by(), answer.comment(), now); !ok) {
    spdlog::error("alerts: {} of {} not kept: {}", approve ? "approval" : "denial", task_id,
                  ok.error().message);
  }
}

std::vector<PendingFix> ApprovalDesk::expire(WallTime now) {
  auto expired = approvals_.take_expired(now);
  if (!expired.empty()) changed();
  for (const auto& fix : expired) {
    if (auto ok = approval_store_.answered(fix.task_id, "expired", "", "", now); !ok) {
      spdlog::error("alerts: expiry of {} not kept: {}", fix.task_id, ok.error().message);
    }
  }
  return expired;
}

void ApprovalDesk::cancel(const std::string& task_id, const std::string& why, WallTime now) {
  approvals_.take(task_id);
  changed();
  if (auto ok = approval_store_.answered(task_id, "cancelled", "", why, now); !ok) {
    spdlog::error("alerts: cancellation of {} not kept: {}", task_id, ok.error().message);
  }
}

tend::PendingList ApprovalDesk::pending(const Describe& describe) const {
  tend::PendingList list;
  for (const auto& fix : approvals_.all()) {
    tend::PendingApproval p;
    if (!describe(fix, p)) continue;
    p.set_task_id(fix.task_id);
    *p.mutable_requested_at() = to_timestamp(fix.requested_at);
    *p.mutable_expires_at() = to_timestamp(fix.expires_at);
    *list.add_approvals() = std::move(p);
  }
  return list;
}

}  // namespace tend::decisions
