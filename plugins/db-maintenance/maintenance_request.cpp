#include "plugins/db-maintenance/maintenance_request.h"

#include <algorithm>

namespace tend::db_maintenance {
namespace {

constexpr const char* kSection = "[plugin.db-maintenance]";

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "\"" : ", \"") + item + "\"";
  return "[" + out + "]";
}

bool allowed(const Request& request, const std::string& database) {
  const auto& list = request.allowed_databases;
  return std::find(list.begin(), list.end(), database) != list.end();
}

}  // namespace

Expected<Request> read_request(const tend::sdk::Context& ctx) {
  Request request;
  request.connect.conninfo = ctx.setting("conninfo");
  if (request.connect.conninfo.empty()) {
    return make_error(std::string("no database to connect to: set ") + kSection +
                      " conninfo = \"postgresql://user@host/db\" in agent.toml (passwords belong "
                      "in ~/.pgpass or PGPASSFILE, not in tasks)");
  }
  int64_t connect_timeout = ctx.setting_int("connect_timeout", 10);
  if (connect_timeout <= 0) {
    return make_error(std::string("setting connect_timeout in ") + kSection +
                      " must be at least 1 (seconds)");
  }
  request.connect.timeout = std::chrono::seconds(connect_timeout);
  request.allowed_databases = ctx.setting_list("databases");
  request.connect.database = ctx.param_string("database");

  request.schema = ctx.param_string("schema");
  for (const auto& text : ctx.param_list("tables")) {
    auto name = parse_table_name(text);
    if (!name) return name.error();
    if (name->schema.empty()) name->schema = request.schema;
    request.tables.push_back(std::move(*name));
  }
  if (static_cast<int64_t>(request.tables.size()) > kMaxTables) {
    return make_error("at most " + std::to_string(kMaxTables) + " tables per task, got " +
                      std::to_string(request.tables.size()));
  }
  request.top = ctx.param_int("top", 5);
  if (request.top < 1 || request.top > kMaxTables) {
    return make_error("top must be between 1 and " + std::to_string(kMaxTables) + ", got " +
                      std::to_string(request.top));
  }
  request.min_dead_tuples = ctx.param_int("min_dead_tuples", 1000);
  if (request.min_dead_tuples < 0) {
    return make_error("min_dead_tuples must not be negative, got " +
                      std::to_string(request.min_dead_tuples));
  }
  request.options.reindex = ctx.param_bool("reindex", false);
  request.options.concurrently = ctx.param_bool("reindex_concurrently", false);
  if (request.options.concurrently) request.options.reindex = true;
  request.statement_timeout = std::chrono::seconds(ctx.param_int("timeout", 0));
  request.lock_timeout = std::chrono::seconds(ctx.param_int("lock_timeout", 0));
  if (request.statement_timeout.count() < 0 || request.lock_timeout.count() < 0) {
    return make_error("timeout and lock_timeout must not be negative");
  }
  return request;
}

Expected<std::unique_ptr<PgConnection>> open_session(const Request& request,
                                                     const Cancelled& cancelled) {
  const std::string& wanted = request.connect.database;
  if (!wanted.empty() && request.allowed_databases.empty()) {
    return make_error("database \"" + wanted +
                      "\" was asked for, but tasks may only pick databases listed in " + kSection +
                      " databases = [...] (agent.toml), which is not set on this node");
  }
  if (!wanted.empty() && !allowed(request, wanted)) {
    return make_error("database \"" + wanted + "\" is not in " + kSection +
                      " databases = " + joined(request.allowed_databases));
  }
  std::string error;
  auto db = PgConnection::connect(request.connect, cancelled, error);
  if (!db) return make_error(std::string(kSection) + " conninfo: " + error);
  if (!request.allowed_databases.empty() && !allowed(request, db->database())) {
    return make_error("database \"" + db->database() + "\" (from conninfo) is not in " + kSection +
                      " databases = " + joined(request.allowed_databases));
  }
  // Whole seconds as milliseconds: our own numbers, never text from a task.
  for (const auto& [name, limit] : {std::pair{"statement_timeout", request.statement_timeout},
                                    std::pair{"lock_timeout", request.lock_timeout}}) {
    Statement set = db->run(std::string("SET ") + name + " = " +
                                std::to_string(std::chrono::milliseconds(limit).count()),
                            {}, cancelled);
    if (!set.ok()) return make_error(std::string("cannot set ") + name + ": " + set.error);
  }
  return db;
}

Expected<std::vector<TableStats>> select_candidates(PgConnection& db, const Request& request,
                                                    const Cancelled& cancelled) {
  if (request.tables.empty()) {
    // All of the top N, even those below the threshold: the plan leaves
    // those alone, and the report can still name the worst table.
    return most_dead_tuples(db, request.schema, 0, request.top, cancelled);
  }
  std::vector<TableStats> tables;
  for (const auto& name : request.tables) {
    auto stats = find_table(db, name, cancelled);
    if (!stats) return stats.error();
    tables.push_back(std::move(*stats));
  }
  return tables;
}

}  // namespace tend::db_maintenance
