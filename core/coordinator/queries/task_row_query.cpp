#include "core/coordinator/queries/task_row_query.h"

#include <fmt/format.h>

#include "core/common/wall_time.h"
#include "core/store/sql_time.h"

namespace tend {

using store::epoch_us;

std::string task_row_select(const std::string& extra_columns) {
  // The counts of a finished task are its summary's; before that, the
  // results stored so far (one index lookup per task).
  return fmt::format(
      "SELECT t.id, t.plugin, t.origin, t.target, t.requested_by, t.reason, {}, {}, "
      "COALESCE(t.expected, cardinality(t.expected_hosts)), COALESCE(t.succeeded, c.ok), "
      "COALESCE(t.failed, c.responded - c.ok), COALESCE(t.complete, false), "
      "COALESCE(t.text, ''), c.responded, t.dry_run{}{} "
      "FROM tasks t LEFT JOIN LATERAL (SELECT count(*) AS responded, "
      "count(*) FILTER (WHERE r.status = 'SUCCEEDED') AS ok FROM results r "
      "WHERE r.task_id = t.id) c ON true",
      epoch_us("t.dispatched_at"), epoch_us("t.finished_at"), extra_columns.empty() ? "" : ", ",
      extra_columns);
}

tend::TaskSummaryRow task_row_from(const store::PgRows& rows, int i) {
  tend::TaskSummaryRow row;
  row.set_task_id(std::string(rows.get(i, 0)));
  row.set_plugin(std::string(rows.get(i, 1)));
  row.set_origin(std::string(rows.get(i, 2)));
  row.set_target(std::string(rows.get(i, 3)));
  row.set_requested_by(std::string(rows.get(i, 4)));
  row.set_reason(std::string(rows.get(i, 5)));
  *row.mutable_dispatched_at() = timestamp_from_micros(rows.get_int(i, 6));
  if (!rows.is_null(i, 7)) *row.mutable_finished_at() = timestamp_from_micros(rows.get_int(i, 7));
  row.set_expected(static_cast<uint32_t>(rows.get_int(i, 8)));
  row.set_succeeded(static_cast<uint32_t>(rows.get_int(i, 9)));
  row.set_failed(static_cast<uint32_t>(rows.get_int(i, 10)));
  row.set_complete(rows.get_bool(i, 11));
  row.set_text(std::string(rows.get(i, 12)));
  row.set_responded(static_cast<uint32_t>(rows.get_int(i, 13)));
  row.set_dry_run(rows.get_bool(i, 14));
  return row;
}

}  // namespace tend
