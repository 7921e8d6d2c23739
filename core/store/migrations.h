// Brings a database to the schema this program was built with, at start:
// the migrations in schemas/migrations/ not yet applied, in order, in one
// transaction under an advisory lock (two coordinators starting together
// apply them once). A database already at a newer version is refused: a
// program must never write to a schema it does not know.
#pragma once

#include "bus/expected.h"
#include "core/store/pg_connection.h"

namespace tend::store {

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
};

Expected<MigrationReport> migrate(PgConnection& conn);

}  // namespace tend::store
