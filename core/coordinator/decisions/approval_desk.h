// Fixes that wait for a human: asked for, answered (approve or deny, by
// someone), expired after [approvals] ttl, or cancelled when the alert
// resolves first. Owns the queue, where it is kept in PostgreSQL, and what
// the metrics say of it; speaks of a fix by task and incident id. What an
// answer or an expiry means for the incident (a dispatch, an escalation) is
// the alert loop's: it gets them back as values. On the alert loop's thread,
// like its store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/common/wall_time.h"
#include "core/coordinator/decisions/approval_queue.h"
#include "core/coordinator/decisions/approval_store.h"
#include "core/coordinator/decisions/decision_settings.h"
#include "core/coordinator/metrics/coordinator_metrics.h"
#include "core/store/database.h"
#include "schemas/approval.pb.h"

namespace tend::decisions {

class ApprovalDesk {
 public:
  // `metrics` (may be null) hears how many fixes wait.
  ApprovalDesk(ApprovalSettings settings, store::Database& db, CoordinatorMetrics* metrics);

  // At start: the fixes that waited when the coordinator stopped.
  Expected<void> load();

  // Keeps `request` (its task and incident id set) waiting from `now` until
  // the ttl is up; the fix as it waits.
  PendingFix request(ApprovalRequest request, WallTime now);

  // The fix that waits as `task_id`, or null.
  const PendingFix* find(const std::string& task_id) const;
  // A human's answer to a waiting fix: it waits no longer, and is kept as
  // approved or denied by `answer.by()`.
  void answer(const std::string& task_id, bool approve, const tend::ApprovalAnswer& answer,
              WallTime now);
  // The fixes nobody answered in time: they wait no longer (kept as expired).
  std::vector<PendingFix> expire(WallTime now);
  // The alert resolved before anyone answered: `why`, kept as the comment.
  void cancel(const std::string& task_id, const std::string& why, WallTime now);

  // When the next fix expires, or nothing when none waits.
  std::optional<WallTime> next_expiry() const { return approvals_.next_expiry(); }

  // tendctl pending: every waiting fix, oldest first. `describe` fills in
  // what its incident says, or returns false to leave it out (its incident
  // is gone).
  using Describe = std::function<bool(const PendingFix&, tend::PendingApproval&)>;
  tend::PendingList pending(const Describe& describe) const;

 private:
  void changed();

  ApprovalSettings settings_;
  CoordinatorMetrics* metrics_;
  ApprovalQueue approvals_;
  ApprovalStore approval_store_;
};

}  // namespace tend::decisions
