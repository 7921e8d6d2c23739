#include "plugins/db-maintenance/table_stats.h"

namespace tend::db_maintenance {
namespace {

constexpr const char* kColumns =
    "SELECT relid::text, schemaname, relname, n_dead_tup, n_live_tup, vacuum_count, "
    "analyze_count, coalesce(last_vacuum::text, ''), "
    "(SELECT relkind FROM pg_class WHERE oid = relid) FROM pg_stat_user_tables ";

TableStats row_stats(const Statement& rows, int row) {
  TableStats stats;
  stats.oid = rows.text(row, 0);
  stats.name = {rows.text(row, 1), rows.text(row, 2)};
  stats.dead_tuples = rows.number(row, 3);
  stats.live_tuples = rows.number(row, 4);
  stats.vacuum_count = rows.number(row, 5);
  stats.analyze_count = rows.number(row, 6);
  stats.last_vacuum = rows.text(row, 7);
  stats.partitioned = rows.text(row, 8) == "p";
  return stats;
}

Expected<void> succeeded(const Statement& statement, const std::string& what) {
  if (statement.ok()) return {};
  return make_error(statement.cancelled ? "cancelled while " + what
                                        : "cannot " + what + ": " + statement.error);
}

}  // namespace

Expected<TableStats> find_table(PgConnection& db, const TableName& name,
                                const Cancelled& cancelled) {
  Statement rows =
      name.schema.empty()
          ? db.run(std::string(kColumns) + "WHERE relname = $1 AND pg_table_is_visible(relid)",
                   {name.table}, cancelled)
          : db.run(std::string(kColumns) + "WHERE schemaname = $1 AND relname = $2",
                   {name.schema, name.table}, cancelled);
  if (auto read = succeeded(rows, "read the statistics of " + name.display()); !read) {
    return read.error();
  }
  if (rows.rows() == 0) {
    return make_error("table \"" + name.display() + "\" not found in database " + db.database() +
                      (name.schema.empty()
                           ? " (no user table of that name on the search_path; write schema.table)"
                           : " (no user table of that name in that schema)"));
  }
  TableStats stats = row_stats(rows, 0);
  if (stats.partitioned) {
    // Its rows, dead ones included, live in its partitions: VACUUM of the
    // parent vacuums them, but its own counters never move.
    return make_error("table \"" + name.display() +
                      "\" is partitioned and holds no rows itself: name its partitions instead");
  }
  return stats;
}

Expected<std::vector<TableStats>> most_dead_tuples(PgConnection& db, const std::string& schema,
                                                   int64_t min_dead_tuples, int64_t limit,
                                                   const Cancelled& cancelled) {
  Statement rows =
      db.run(std::string(kColumns) +
                 "WHERE ($1 = '' OR schemaname = $1) AND n_dead_tup >= $2::bigint "
                 "AND (SELECT relkind FROM pg_class WHERE oid = relid) <> 'p' "
                 "ORDER BY n_dead_tup DESC, schemaname, relname LIMIT $3::bigint",
             {schema, std::to_string(min_dead_tuples), std::to_string(limit)}, cancelled);
  if (auto read = succeeded(rows, "read pg_stat_user_tables"); !read) return read.error();
  std::vector<TableStats> tables;
  for (int row = 0; row < rows.rows(); ++row) tables.push_back(row_stats(rows, row));
  return tables;
}

Expected<TableStats> reread(PgConnection& db, const TableStats& stats, const Cancelled& cancelled) {
  Statement rows = db.run(std::string(kColumns) + "WHERE relid = $1::oid", {stats.oid}, cancelled);
  if (auto read = succeeded(rows, "read the statistics of " + stats.name.display()); !read) {
    return read.error();
  }
  if (rows.rows() == 0) {
    return make_error("table " + stats.name.display() + " is gone from database " + db.database());
  }
  return row_stats(rows, 0);
}

Expected<std::vector<IndexState>> read_indexes(PgConnection& db, const TableStats& table,
                                               const Cancelled& cancelled) {
  Statement rows = db.run(
      "SELECT c.relname, pg_relation_filenode(c.oid)::text, i.indisvalid FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::oid ORDER BY c.relname",
      {table.oid}, cancelled);
  if (auto read = succeeded(rows, "read the indexes of " + table.name.display()); !read) {
    return read.error();
  }
  std::vector<IndexState> indexes;
  for (int row = 0; row < rows.rows(); ++row) {
    indexes.push_back({rows.text(row, 0), rows.text(row, 1), rows.text(row, 2) == "t"});
  }
  return indexes;
}

}  // namespace tend::db_maintenance
