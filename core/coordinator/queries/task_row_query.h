// One task as history and show list it: the SQL that reads a TaskSummaryRow
// from the tasks table, and the mapping of its columns. While a task is in
// flight its counts come from the results stored so far.
#pragma once

#include <cstdint>
#include <string>

#include "core/store/pg_connection.h"
#include "schemas/query.pb.h"

namespace tend {

// "SELECT <columns> FROM tasks t <join>": the first kTaskRowColumns columns
// are a TaskSummaryRow; the table is `t`, so callers add WHERE and ORDER BY
// (and more columns after these).
std::string task_row_select(const std::string& extra_columns = {});
inline constexpr int kTaskRowColumns = 15;

tend::TaskSummaryRow task_row_from(const store::PgRows& rows, int row);

}  // namespace tend
