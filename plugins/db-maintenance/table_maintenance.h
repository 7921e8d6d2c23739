// The work on one table: VACUUM (ANALYZE), then REINDEX TABLE when asked,
// each as its own statement (VACUUM may not run inside a transaction block)
// with the table's name quoted by PQescapeIdentifier, and the statistics read
// again afterwards for the report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plugins/db-maintenance/pg_connection.h"
#include "plugins/db-maintenance/table_stats.h"

namespace tend::db_maintenance {

struct MaintenanceOptions {
  bool reindex = false;
  // REINDEX TABLE CONCURRENTLY: does not block writes, takes longer, and
  // skips indexes that are already invalid (verify then reports them).
  bool concurrently = false;
};

struct TableResult {
  TableStats before;
  TableStats after;  // valid once `vacuumed`
  std::vector<IndexState> indexes_before;
  bool vacuumed = false;
  bool reindexed = false;
  double seconds = 0;
  std::string error;  // why it stopped; empty when all went through
  bool cancelled = false;
  std::vector<std::string> warnings;  // what the server warned about

  // n_dead_tup before minus after (never below zero).
  int64_t dead_tuples_removed() const;
};

TableResult maintain_table(PgConnection& db, const TableStats& before,
                           const MaintenanceOptions& options, const Cancelled& cancelled);

// "s.t", quoted for SQL: "s"."t"; empty when the name cannot be quoted.
std::string quoted_table(const PgConnection& db, const TableName& name);

}  // namespace tend::db_maintenance
