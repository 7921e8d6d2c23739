// What one db-maintenance task asks for, read and checked from its params
// (the task's choice) and settings (the operator's: where to connect, which
// databases a task may pick), and the session opened for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <tend/expected.hpp>
#include <tend/plugin.hpp>
#include <vector>

#include "plugins/db-maintenance/pg_connection.h"
#include "plugins/db-maintenance/table_maintenance.h"
#include "plugins/db-maintenance/table_name.h"
#include "plugins/db-maintenance/table_stats.h"

namespace tend::db_maintenance {

inline constexpr int64_t kMaxTables = 100;

struct Request {
  ConnectRequest connect;
  std::vector<std::string> allowed_databases;  // empty: only the conninfo's
  std::vector<TableName> tables;               // empty: the `top` most churned
  std::string schema;
  int64_t top = 5;
  int64_t min_dead_tuples = 1000;
  MaintenanceOptions options;
  std::chrono::seconds statement_timeout{0};  // 0: none
  std::chrono::seconds lock_timeout{0};
};

// Refuses a missing conninfo or a bad param.
Expected<Request> read_request(const tend::sdk::Context& ctx);

// Connected to an allowed database, with the task's timeouts set for the
// session.
Expected<std::unique_ptr<PgConnection>> open_session(const Request& request,
                                                     const Cancelled& cancelled);

// The tables the task names, each looked up (an unknown one is an error), or
// the `top` with the most dead tuples.
Expected<std::vector<TableStats>> select_candidates(PgConnection& db, const Request& request,
                                                    const Cancelled& cancelled);

}  // namespace tend::db_maintenance
