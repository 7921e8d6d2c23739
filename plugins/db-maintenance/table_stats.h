// What PostgreSQL's statistics say about a table, read from
// pg_stat_user_tables, and the state of its indexes.
//
// On freshness (PostgreSQL 15 keeps statistics in shared memory): every read
// here is its own autocommit transaction, so no cached stats snapshot is ever
// reused (stats_fetch_consistency caches only until the transaction ends).
// VACUUM and ANALYZE write their own results — n_dead_tup, vacuum_count,
// analyze_count, last_vacuum — straight into shared memory as they finish,
// so a read after our VACUUM sees them at once. What can lag is the churn
// other sessions cause: each backend flushes its pending counters at most
// once a second, and an idle one within 10 s (pg_stat_force_next_flush()
// only hurries the backend that calls it). So n_dead_tup "before" can be a
// second or so behind, and verify relies on vacuum_count / analyze_count,
// which cannot lag, rather than on n_dead_tup.
#pragma once

#include <cstdint>
#include <string>
#include <tend/expected.hpp>
#include <vector>

#include "plugins/db-maintenance/pg_connection.h"
#include "plugins/db-maintenance/table_name.h"

namespace tend::db_maintenance {

struct TableStats {
  TableName name;  // schema always filled in
  std::string oid;
  int64_t dead_tuples = 0;
  int64_t live_tuples = 0;
  int64_t vacuum_count = 0;  // manual VACUUMs so far
  int64_t analyze_count = 0;
  std::string last_vacuum;   // "" when never
  bool partitioned = false;  // a parent: no rows, no counters of its own
};

struct IndexState {
  std::string name;
  std::string filenode;  // changes when the index is rebuilt
  bool valid = true;
};

// The user table `name` refers to: in its schema, or the first one on the
// search_path when it has none.
Expected<TableStats> find_table(PgConnection& db, const TableName& name,
                                const Cancelled& cancelled);

// The `limit` tables (in `schema`, or anywhere when empty) with the most dead
// tuples, at least `min_dead_tuples` each, most first.
Expected<std::vector<TableStats>> most_dead_tuples(PgConnection& db, const std::string& schema,
                                                   int64_t min_dead_tuples, int64_t limit,
                                                   const Cancelled& cancelled);

// `stats` read again, by oid.
Expected<TableStats> reread(PgConnection& db, const TableStats& stats, const Cancelled& cancelled);

Expected<std::vector<IndexState>> read_indexes(PgConnection& db, const TableStats& table,
                                               const Cancelled& cancelled);

}  // namespace tend::db_maintenance
