// db-maintenance: VACUUM (ANALYZE) — and REINDEX when asked — of the tables a
// task names, or of the ones with the most dead tuples, on the PostgreSQL
// the operator configured for this node. Reports the dead tuples removed and
// the time taken; verify checks from the server's own counters that every
// VACUUM and ANALYZE ran and every index was rebuilt and is valid.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <string>
#include <tend/plugin.hpp>
#include <vector>

#include "plugins/db-maintenance/maintenance_plan.h"
#include "plugins/db-maintenance/maintenance_request.h"
#include "plugins/db-maintenance/table_maintenance.h"
#include "plugins/support/task_memory.h"

namespace {

using tend::Expected;
using tend::make_error;
using tend::sdk::Context;
using tend::sdk::Outcome;
using namespace tend::db_maintenance;

constexpr tend_param_spec kParams[] = {
    {.name = "tables",
     .type = TEND_PARAM_LIST,
     .help = "schema.table or table names, taken literally; default: the `top` most churned"},
    {.name = "schema",
     .type = TEND_PARAM_STRING,
     .help = "schema for table names without one, and the only one `top` looks in"},
    {.name = "top",
     .type = TEND_PARAM_INTEGER,
     .default_value = "5",
     .help = "without tables: this many tables with the most dead tuples (1-100)"},
    {.name = "min_dead_tuples",
     .type = TEND_PARAM_INTEGER,
     .default_value = "1000",
     .help = "leave tables with fewer dead tuples alone"},
    {.name = "reindex",
     .type = TEND_PARAM_BOOLEAN,
     .default_value = "false",
     .help = "REINDEX TABLE after VACUUM (blocks writes to the table while it runs)"},
    {.name = "reindex_concurrently",
     .type = TEND_PARAM_BOOLEAN,
     .default_value = "false",
     .help = "REINDEX TABLE CONCURRENTLY: slower, writes go on; implies reindex"},
    {.name = "database",
     .type = TEND_PARAM_STRING,
     .help = "a database from [plugin.db-maintenance] databases instead of the conninfo's"},
    {.name = "timeout",
     .type = TEND_PARAM_DURATION,
     .default_value = "1h",
     .help = "statement_timeout of each VACUUM and REINDEX; 0: none"},
    {.name = "lock_timeout",
     .type = TEND_PARAM_DURATION,
     .default_value = "10s",
     .help = "give up on a table whose lock another session holds this long; 0: wait"},
};

// What remediate did, for verify.
struct Done {
  std::vector<TableResult> tables;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "0.04", "3.17", "12.5": enough digits to tell quick runs apart.
std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, seconds < 10 ? "%.2f" : "%.1f", seconds);
  return text;
}

std::string plural(size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : word.back() == 'x' ? "es" : "s");
}

Outcome fail(Context& ctx, const std::string& error) {
  ctx.error(error);
  return Outcome::kFailed;
}

// Everything a hook needs before it can look at tables.
struct Session {
  Request request;
  std::unique_ptr<PgConnection> db;
  Plan plan;
};

Expected<Session> open_and_plan(Context& ctx) {
  auto cancelled = [&ctx] { return ctx.cancelled(); };
  auto request = read_request(ctx);
  if (!request) return request.error();
  auto db = open_session(*request, cancelled);
  if (!db) return db.error();
  auto candidates = select_candidates(**db, *request, cancelled);
  if (!candidates) return candidates.error();
  Plan plan = plan_maintenance(std::move(*candidates), request->min_dead_tuples);
  return Session{std::move(*request), std::move(*db), std::move(plan)};
}

void report_nothing_to_do(Context& ctx, const Session& session) {
  const auto& left = session.plan.below_threshold;
  std::string which =
      session.request.tables.empty()
          ? "no table in " + session.db->database()
          : "none of the " + plural(left.size(), "named table") + " in " + session.db->database();
  std::string worst = left.empty() ? " (it has no user tables)"
                                   : " (most: " + left.front().name.display() + " with " +
                                         thousands(left.front().dead_tuples) + ")";
  ctx.summary("{} has {} or more dead tuples{}", which, thousands(session.request.min_dead_tuples),
              worst);
  ctx.output("database", session.db->database());
}

void report_plan(Context& ctx, const Session& session) {
  std::vector<std::string> names;
  std::vector<int64_t> counts;
  for (const auto& table : session.plan.tables) {
    names.push_back(table.name.display());
    counts.push_back(table.dead_tuples);
    ctx.output("table." + table.name.display(), std::to_string(table.dead_tuples) + " dead, " +
                                                    std::to_string(table.live_tuples) +
                                                    " live tuples");
  }
  ctx.summary("would VACUUM ANALYZE{} {} in {} ({} dead tuples): {}",
              session.request.options.reindex ? " and REINDEX" : "", plural(names.size(), "table"),
              session.db->database(), thousands(session.plan.dead_tuples()),
              list_tables(names, counts));
  ctx.output("database", session.db->database());
  ctx.figure("dead_tuples", static_cast<double>(session.plan.dead_tuples()));
}

std::string describe_table(const TableResult& result) {
  std::string line = std::to_string(result.before.dead_tuples) + " -> " +
                     std::to_string(result.after.dead_tuples) + " dead tuples (" +
                     std::to_string(result.dead_tuples_removed()) + " removed), " +
                     std::to_string(result.after.live_tuples) + " live, " +
                     seconds_text(result.seconds) + " s";
  if (result.reindexed) line += ", reindexed " + plural(result.indexes_before.size(), "index");
  if (!result.error.empty()) line += "; " + result.error;
  return line;
}

// Figures, per-table outputs and the summary line; the first error, if any.
std::string report_results(Context& ctx, const Session& session,
                           const std::vector<TableResult>& results, double seconds) {
  int64_t removed = 0, before = 0, after = 0;
  size_t vacuumed = 0, indexes = 0;
  std::vector<std::string> names, warnings;
  std::vector<int64_t> counts;
  std::string error;
  for (const auto& result : results) {
    ctx.output("table." + result.before.name.display(), describe_table(result));
    warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
    if (error.empty()) error = result.error;
    if (!result.vacuumed) continue;
    ++vacuumed;
    removed += result.dead_tuples_removed();
    before += result.before.dead_tuples;
    after += result.after.dead_tuples;
    if (result.reindexed) indexes += result.indexes_before.size();
    names.push_back(result.before.name.display());
    counts.push_back(result.dead_tuples_removed());
  }
  ctx.figure("dead_tuples_removed", static_cast<double>(removed));
  ctx.figure("tables_vacuumed", static_cast<double>(vacuumed));
  ctx.figure("duration_s", seconds);
  if (session.request.options.reindex) ctx.figure("indexes_rebuilt", static_cast<double>(indexes));
  ctx.output("database", session.db->database());
  ctx.output("dead_tuples_before", before);
  ctx.output("dead_tuples_after", after);
  if (!warnings.empty()) {
    std::string all;
    for (const auto& warning : warnings) all += (all.empty() ? "" : "\n") + warning;
    ctx.output("warnings", all);
  }
  std::string line = "vacuumed " + plural(vacuumed, "table") + " in " + session.db->database() +
                     " in " + seconds_text(seconds) + " s: " + thousands(removed) +
                     " dead tuples removed";
  if (!names.empty()) line += " from " + list_tables(names, counts);
  if (session.request.options.reindex) line += "; reindexed " + plural(indexes, "index");
  if (vacuumed < session.plan.tables.size()) {
    line += "; " + std::to_string(session.plan.tables.size() - vacuumed) + " of " +
            plural(session.plan.tables.size(), "table") + " not vacuumed";
  }
  ctx.summary(line);
  return error;
}

// Verify's check of one table against what remediate saw before.
Expected<void> check_table(PgConnection& db, const TableResult& done, const Context& ctx) {
  auto cancelled = [&ctx] { return ctx.cancelled(); };
  const std::string name = done.before.name.display();
  auto now = reread(db, done.before, cancelled);
  if (!now) return now.error();
  std::string warned;
  for (const auto& warning : done.warnings) warned += "; server said: " + warning;
  if (now->vacuum_count <= done.before.vacuum_count) {
    return make_error("VACUUM did not run on " + name + " (vacuum_count still " +
                      std::to_string(now->vacuum_count) + "; the role may not own the table)" +
                      warned);
  }
  if (now->analyze_count <= done.before.analyze_count) {
    return make_error("ANALYZE did not run on " + name + " (analyze_count still " +
                      std::to_string(now->analyze_count) + ")" + warned);
  }
  if (!done.reindexed) return {};
  auto indexes = read_indexes(db, done.before, cancelled);
  if (!indexes) return indexes.error();
  for (const auto& old : done.indexes_before) {
    auto same = [&](const IndexState& index) { return index.name == old.name; };
    auto found = std::find_if(indexes->begin(), indexes->end(), same);
    if (found == indexes->end()) {
      return make_error("index " + old.name + " of " + name + " is gone");
    }
    if (!found->valid) {
      return make_error("index " + old.name + " of " + name +
                        " is invalid after REINDEX (REINDEX ... CONCURRENTLY skips invalid "
                        "indexes: reindex without concurrently, or drop and recreate it)" +
                        warned);
    }
    if (found->filenode == old.filenode) {
      return make_error("index " + old.name + " of " + name + " was not rebuilt" + warned);
    }
  }
  return {};
}

class DbMaintenance : public tend::sdk::Plugin {
 public:
  Outcome diagnose(Context& ctx) override {
    auto session = open_and_plan(ctx);
    if (!session) return fail(ctx, session.error().message);
    if (session->plan.tables.empty()) {
      report_nothing_to_do(ctx, *session);
      return Outcome::kNothingToDo;
    }
    if (ctx.dry_run()) report_plan(ctx, *session);
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    // Planned afresh: the statistics may have moved since diagnose.
    auto session = open_and_plan(ctx);
    if (!session) return fail(ctx, session.error().message);
    if (session->plan.tables.empty()) {
      report_nothing_to_do(ctx, *session);
      return Outcome::kNothingToDo;
    }
    auto cancelled = [&ctx] { return ctx.cancelled(); };
    const auto started = std::chrono::steady_clock::now();
    std::vector<TableResult> results;
    for (const auto& table : session->plan.tables) {
      if (ctx.cancelled()) break;
      results.push_back(maintain_table(*session->db, table, session->request.options, cancelled));
      if (results.back().cancelled || !session->db->usable()) break;
    }
    std::string error = report_results(ctx, *session, results, seconds_since(started));
    if (error.empty() && results.size() < session->plan.tables.size()) {
      error = "cancelled after " + std::to_string(results.size()) + " of " +
              plural(session->plan.tables.size(), "table");
    }
    if (!error.empty()) return fail(ctx, error);
    memory_.remember(ctx.ctx(), Done{std::move(results)});
    return Outcome::kOk;
  }

  Outcome verify(Context& ctx) override {
    auto done = memory_.take(ctx.ctx());
    if (!done) return fail(ctx, "no record of what remediate vacuumed in this task");
    auto request = read_request(ctx);
    if (!request) return fail(ctx, request.error().message);
    auto db = open_session(*request, [&ctx] { return ctx.cancelled(); });
    if (!db) return fail(ctx, db.error().message);
    for (const auto& table : done->tables) {
      if (auto checked = check_table(**db, table, ctx); !checked) {
        return fail(ctx, checked.error().message);
      }
    }
    return Outcome::kOk;
  }

 private:
  tend::plugins::TaskMemory<Done> memory_;
};

}  // namespace

TEND_REGISTER_PLUGIN(DbMaintenance,
                     {.name = "db-maintenance",
                      .version = TEND_VERSION,
                      .description = "VACUUM ANALYZE (and REINDEX) of named or most-churned "
                                     "PostgreSQL tables; reports dead tuples removed",
                      .risk = TEND_RISK_MEDIUM,
                      .supports = TEND_SUPPORTS_DRY_RUN,
                      .params = kParams,
                      .param_count = std::size(kParams)});
