// What one db-maintenance task asks for, read and checked from its params
// (the task's choice) and settings (the operator's: where to connect, which
// databases a task may pick), and the session opened for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
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

// False with `error` for a missing conninfo or a bad param.
bool read_request(const tend::sdk::Context& ctx, Request& request, std::string& error);

// Connected to an allowed database, with the task's timeouts set for the
// session; nullptr with `error` otherwise.
std::unique_ptr<PgConnection> open_session(const Request& request, const Cancelled& cancelled,
                                           std::string& error);

// The tables the task names, each looked up (an unknown one is an error), or
// the `top` with the most dead tuples.
bool select_candidates(PgConnection& db, const Request& request, std::vector<TableStats>& tables,
                       std::string& error, const Cancelled& cancelled);

}  // namespace tend::db_maintenance
