#include "core/store/migrations.h"

#include <fmt/format.h>

#include <map>

#include "schemas/migrations.h"

namespace tend::store {
namespace {

// Any constant that no other part of tend uses as an advisory lock key.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7415001)";

}  // namespace

Expected<MigrationReport> migrate(PgConnection& conn) {
  const auto known = schema::migrations();
  const int latest = known.empty() ? 0 : known.back().version;

  auto tx = PgTransaction::begin(conn);
  if (!tx) return tx.error();
  if (auto ok = conn.exec(kMigrationLock); !ok) return ok.error();
  if (auto ok = conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version integer PRIMARY KEY,"
                          " name text NOT NULL,"
                          " applied_at timestamptz NOT NULL DEFAULT now())");
      !ok) {
    return ok.error();
  }
  auto rows = conn.query("SELECT version, name FROM schema_migrations ORDER BY version");
  if (!rows) return rows.error();
  std::map<int, std::string> applied;
  for (int i = 0; i < rows->size(); ++i)
    applied[static_cast<int>(rows->get_int(i, 0))] = rows->get(i, 1);

  MigrationReport report;
  report.from_version = applied.empty() ? 0 : applied.rbegin()->first;
  if (report.from_version > latest) {
    return make_error(fmt::format(
        "the database schema is at version {}, newer than the {} this program knows: upgrade "
        "tend, or point [database] url at the database this release created",
        report.from_version, latest));
  }
  for (const auto& migration : known) {
    if (auto it = applied.find(migration.version); it != applied.end()) {
      if (it->second != migration.name) {
        return make_error(fmt::format(
            "schema migration {} is '{}' in the database but '{}' in this program: the two "
            "come from different tend releases",
            migration.version, it->second, migration.name));
      }
      continue;
    }
    if (auto ok = conn.exec_script(migration.sql); !ok) {
      return make_error(fmt::format("schema migration {:04}_{} failed: {}", migration.version,
                                    migration.name, ok.error().message));
    }
    if (auto ok = conn.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            {std::to_string(migration.version), migration.name});
        !ok) {
      return ok.error();
    }
  }
  if (auto ok = tx->commit(); !ok) return ok.error();
  report.to_version = latest;
  return report;
}

}  // namespace tend::store
