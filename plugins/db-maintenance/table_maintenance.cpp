#include "plugins/db-maintenance/table_maintenance.h"

#include <algorithm>
#include <chrono>

namespace tend::db_maintenance {
namespace {

constexpr const char* kLockNotAvailable = "55P03";
constexpr const char* kQueryCanceled = "57014";

// Why a statement on the table failed, in words an on-call engineer acts on.
std::string explain(const Statement& statement, const std::string& what) {
  if (statement.cancelled) return what + " was cancelled";
  if (statement.sqlstate == kLockNotAvailable) {
    return what +
           " gave up waiting for a lock another session holds (lock_timeout): " + statement.error;
  }
  if (statement.sqlstate == kQueryCanceled) {
    return what + " took longer than the timeout allows: " + statement.error;
  }
  return what + " failed: " + statement.error;
}

void keep_warnings(const PgConnection& db, TableResult& result) {
  for (const auto& notice : db.notices()) {
    if (notice.rfind("WARNING", 0) == 0) result.warnings.push_back(notice);
  }
}

}  // namespace

int64_t TableResult::dead_tuples_removed() const {
  return vacuumed ? std::max<int64_t>(0, before.dead_tuples - after.dead_tuples) : 0;
}

std::string quoted_table(const PgConnection& db, const TableName& name) {
  std::string schema = db.quote_identifier(name.schema);
  std::string table = db.quote_identifier(name.table);
  return schema.empty() || table.empty() ? "" : schema + "." + table;
}

TableResult maintain_table(PgConnection& db, const TableStats& before,
                           const MaintenanceOptions& options, const Cancelled& cancelled) {
  TableResult result;
  result.before = before;
  const auto started = std::chrono::steady_clock::now();
  auto finish = [&]() -> TableResult {
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
  };
  const std::string display = before.name.display();
  const std::string table = quoted_table(db, before.name);
  if (table.empty()) {
    result.error =
        "cannot quote the name " + display + " for SQL (invalid in the server's encoding)";
    return finish();
  }
  if (options.reindex) {
    auto indexes = read_indexes(db, before, cancelled);
    if (!indexes) {
      result.error = indexes.error().message;
      return finish();
    }
    result.indexes_before = std::move(*indexes);
  }

  Statement vacuum = db.run("VACUUM (ANALYZE) " + table, {}, cancelled);
  keep_warnings(db, result);
  if (!vacuum.ok()) {
    result.cancelled = vacuum.cancelled;
    result.error = explain(vacuum, "VACUUM of " + display);
    return finish();
  }
  result.vacuumed = true;

  if (options.reindex) {
    Statement reindex = db.run(
        std::string("REINDEX TABLE ") + (options.concurrently ? "CONCURRENTLY " : "") + table, {},
        cancelled);
    keep_warnings(db, result);
    if (!reindex.ok()) {
      result.cancelled = reindex.cancelled;
      result.error = explain(reindex, "REINDEX of " + display);
    } else {
      result.reindexed = true;
    }
  }

  result.after = before;
  if (auto after = reread(db, before, cancelled)) {
    result.after = std::move(*after);
  } else if (result.error.empty()) {
    result.error = after.error().message;
  }
  return finish();
}

}  // namespace tend::db_maintenance
