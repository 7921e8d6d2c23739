#include "core/coordinator/decisions/approval_store.h"

#include <fmt/format.h>

#include "core/common/wall_time.h"
#include "core/store/sql_time.h"

namespace tend::decisions {

using store::epoch_us;
using store::time_value;
using store::timestamp_param;

Expected<void> ApprovalStore::requested(const ApprovalRequest& r) {
  std::optional<std::string> confidence;
  if (r.confidence) confidence = fmt::format("{}", *r.confidence);
  return db_.exec(
      fmt::format("INSERT INTO approvals (task_id, incident_id, pattern, plugin, target, "
                  "confidence, why, requested_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, "
                  "$7, {}, {}) ON CONFLICT (task_id) DO NOTHING",
                  timestamp_param(8), timestamp_param(9)),
      {r.fix.task_id, std::to_string(r.fix.incident_id), r.pattern, r.plugin, r.target, confidence,
       r.why, time_value(micros(r.fix.requested_at)), time_value(micros(r.fix.expires_at))});
}

Expected<void> ApprovalStore::answered(const std::string& task_id, const std::string& state,
                                       const std::string& by, const std::string& comment,
                                       WallTime at) {
  return db_.exec(fmt::format("UPDATE approvals SET state = $2, answered_by = $3, comment = $4, "
                              "answered_at = {} WHERE task_id = $1 AND state = 'pending'",
                              timestamp_param(5)),
                  {task_id, state, by, comment, time_value(micros(at))});
}

Expected<std::vector<PendingFix>> ApprovalStore::load_pending() {
  auto rows = db_.query(
      fmt::format("SELECT task_id, incident_id, {}, {} FROM approvals WHERE state = 'pending'",
                  epoch_us("requested_at"), epoch_us("expires_at")));
  if (!rows) return rows.error();
  std::vector<PendingFix> out;
  for (int r = 0; r < rows->size(); ++r) {
    out.push_back({std::string(rows->get(r, 0)), rows->get_int(r, 1),
                   from_micros(rows->get_int(r, 2)), from_micros(rows->get_int(r, 3))});
  }
  return out;
}

}  // namespace tend::decisions
