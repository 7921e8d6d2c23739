// db-maintenance against a real PostgreSQL: each test gets a private
// database with churned tables (rows inserted, then many deleted, autovacuum
// off), runs the real .so, and checks the server's own statistics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "tests/plugins/db-maintenance/scratch_database.h"
#include "tests/support/eventually.h"
#include "tests/support/plugin_harness.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::PluginHarness;
using testing::ScratchDatabase;
using Clock = std::chrono::steady_clock;

// A loopback port nothing listens on: bound, then let go.
int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t size = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
  close(fd);
  return ntohs(addr.sin_port);
}

class DbMaintenance : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    db_ = ScratchDatabase::create(why);
    if (!db_) GTEST_SKIP() << why;
    db_->exec("CREATE SCHEMA s");
    auto loaded = PluginHarness::load(TEND_PLUGIN_FILE);
    ASSERT_TRUE(loaded) << loaded.error().message;
    plugin_.emplace(std::move(*loaded));
    configure("conninfo = \"" + db_->url() + "\"");
  }

  void configure(const std::string& settings) {
    auto set = plugin_->set_settings(settings);
    ASSERT_TRUE(set) << set.error().message;
  }

  PluginOutcome run(const std::string& params, bool dry_run = false) {
    auto outcome = plugin_->run(params, dry_run);
    EXPECT_TRUE(outcome) << outcome.error().message;
    return outcome ? *outcome : PluginOutcome{};
  }

  int64_t stat(const std::string& column, const std::string& table) {
    return db_->number("SELECT " + column + " FROM pg_stat_user_tables WHERE relid = '" + table +
                       "'::regclass");
  }
  int64_t dead(const std::string& table) { return stat("n_dead_tup", table); }
  int64_t vacuums(const std::string& table) { return stat("vacuum_count", table); }

  // Index name -> the file it lives in, which a rebuild replaces.
  std::map<std::string, std::string> index_files(const std::string& table) {
    auto rows = db_->exec(
        "SELECT c.relname, pg_relation_filenode(c.oid)::text FROM pg_index i JOIN pg_class c "
        "ON c.oid = i.indexrelid WHERE i.indrelid = '" +
        table + "'::regclass");
    std::map<std::string, std::string> files;
    for (int row = 0; row < rows.rows(); ++row) files[rows.text(row, 0)] = rows.text(row, 1);
    return files;
  }

  int64_t plugin_sessions() {
    return db_->number(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tend-db-maintenance'");
  }

  std::unique_ptr<ScratchDatabase> db_;
  std::optional<PluginHarness> plugin_;
};

TEST_F(DbMaintenance, VacuumsTheNamedTableAndReportsTheDeadTuplesRemoved) {
  db_->churned_table("s.orders", 20000, 8000);
  db_->churned_table("s.other", 5000, 3000);
  ASSERT_EQ(dead("s.orders"), 8000);

  auto outcome = run(R"({"tables": ["s.orders"]})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(outcome.figures["dead_tuples_removed"], 8000);
  EXPECT_EQ(outcome.figures["tables_vacuumed"], 1);
  EXPECT_GT(outcome.figures["duration_s"], 0);
  EXPECT_THAT(outcome.outputs["table.s.orders"],
              HasSubstr("8000 -> 0 dead tuples (8000 removed), 12000 live"));
  EXPECT_EQ(outcome.outputs["dead_tuples_before"], "8000");
  EXPECT_EQ(outcome.outputs["dead_tuples_after"], "0");
  EXPECT_THAT(outcome.summary, HasSubstr("vacuumed 1 table in " + db_->name()));
  EXPECT_THAT(outcome.summary, HasSubstr("8,000 dead tuples removed from s.orders (8,000)"));
  EXPECT_EQ(dead("s.orders"), 0);
  EXPECT_EQ(vacuums("s.orders"), 1);
  EXPECT_EQ(stat("analyze_count", "s.orders"), 1);
  EXPECT_EQ(vacuums("s.other"), 0) << "a table the task did not name is left alone";
  EXPECT_EQ(dead("s.other"), 3000);
}

TEST_F(DbMaintenance, WithoutTablesItTakesTheMostChurnedThatReachTheThreshold) {
  db_->churned_table("s.big", 10000, 6000);
  db_->churned_table("s.mid", 10000, 3000);
  db_->churned_table("s.small", 10000, 200);
  db_->churned_table("s.quiet", 10000, 0);

  auto outcome = run(R"({"top": 3, "min_dead_tuples": 1000, "schema": "s"})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.figures["tables_vacuumed"], 2);
  EXPECT_EQ(outcome.figures["dead_tuples_removed"], 9000);
  EXPECT_THAT(outcome.summary,
              HasSubstr("9,000 dead tuples removed from s.big (6,000), s.mid (3,000)"));
  EXPECT_EQ(vacuums("s.big"), 1);
  EXPECT_EQ(vacuums("s.mid"), 1);
  EXPECT_EQ(vacuums("s.small"), 0) << "in the top 3, but below min_dead_tuples";
  EXPECT_EQ(vacuums("s.quiet"), 0);
}

TEST_F(DbMaintenance, NothingToDoWhenNoTableReachesTheThreshold) {
  db_->churned_table("s.calm", 1000, 10);

  auto outcome = run("{}");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_FALSE(outcome.verified);
  EXPECT_EQ(outcome.summary,
            "no table in " + db_->name() + " has 1,000 or more dead tuples (most: s.calm with 10)");
  EXPECT_EQ(vacuums("s.calm"), 0);
}

TEST_F(DbMaintenance, ADryRunListsWhatItWouldDoAndChangesNothing) {
  db_->churned_table("s.a", 10000, 4000);
  db_->churned_table("s.b", 10000, 1500);
  auto files = index_files("s.a");

  auto outcome = run(R"({"schema": "s", "reindex": true})", /*dry_run=*/true);

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.summary, "would VACUUM ANALYZE and REINDEX 2 tables in " + db_->name() +
                                 " (5,500 dead tuples): s.a (4,000), s.b (1,500)");
  EXPECT_EQ(outcome.outputs["table.s.a"], "4000 dead, 6000 live tuples");
  EXPECT_EQ(dead("s.a"), 4000) << "n_dead_tup unchanged";
  EXPECT_EQ(dead("s.b"), 1500);
  EXPECT_EQ(vacuums("s.a"), 0);
  EXPECT_EQ(stat("analyze_count", "s.a"), 0);
  EXPECT_EQ(index_files("s.a"), files) << "no index rebuilt";
}

TEST_F(DbMaintenance, ReindexRebuildsEveryIndexOfTheTable) {
  db_->churned_table("s.a", 10000, 5000);
  db_->exec("CREATE INDEX a_payload ON s.a (payload)");
  auto before = index_files("s.a");
  ASSERT_EQ(before.size(), 2u);

  auto outcome = run(R"({"tables": ["s.a"], "reindex": true})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(outcome.figures["indexes_rebuilt"], 2);
  EXPECT_THAT(outcome.summary, HasSubstr("reindexed 2 indexes"));
  auto after = index_files("s.a");
  for (const auto& [name, file] : before) EXPECT_NE(after[name], file) << name << " not rebuilt";
}

TEST_F(DbMaintenance, ReindexConcurrentlyAlsoRebuildsEveryIndex) {
  db_->churned_table("s.a", 10000, 5000);
  auto before = index_files("s.a");

  auto outcome = run(R"({"tables": ["s.a"], "reindex_concurrently": true})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_NE(index_files("s.a")["a_pkey"], before["a_pkey"]);
}

TEST_F(DbMaintenance, VerifyFailsWhenAnIndexIsStillInvalidAfterReindex) {
  db_->churned_table("s.a", 10000, 5000);
  db_->exec("UPDATE s.a SET payload = 'same'");
  // A unique index that could not be built is left behind invalid, and
  // REINDEX ... CONCURRENTLY skips invalid indexes.
  auto failed = db_->connect()->run("CREATE UNIQUE INDEX CONCURRENTLY a_payload ON s.a (payload)");
  ASSERT_FALSE(failed.ok());

  auto outcome = run(R"({"tables": ["s.a"], "reindex_concurrently": true})");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(outcome.verified);
  EXPECT_THAT(outcome.error, HasSubstr("verify failed: index a_payload of s.a is invalid after "
                                       "REINDEX"));
  EXPECT_THAT(outcome.error, HasSubstr("cannot reindex invalid index"));
  EXPECT_EQ(vacuums("s.a"), 1) << "the VACUUM itself did run";
}

TEST_F(DbMaintenance, ATableNameFullOfQuotesAndSemicolonsIsQuotedNeverExecuted) {
  db_->exec("CREATE TABLE s.victim (id int)");
  db_->churned_table(R"(s."weird""; DROP TABLE s.victim; --")", 5000, 2000);

  auto outcome = run(R"({"tables": ["s.weird\"; DROP TABLE s.victim; --"]})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.figures["dead_tuples_removed"], 2000);
  EXPECT_EQ(vacuums(R"(s."weird""; DROP TABLE s.victim; --")"), 1);
  EXPECT_EQ(db_->number("SELECT count(*) FROM pg_tables WHERE schemaname = 's' AND "
                        "tablename = 'victim'"),
            1)
      << "the name was SQL after all";
}

TEST_F(DbMaintenance, AnInjectionAttemptIsJustATableThatDoesNotExist) {
  db_->exec("CREATE TABLE s.victim (id int)");

  auto outcome = run(R"({"tables": ["s.victim; DROP TABLE s.victim"], "min_dead_tuples": 0})");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("table \"s.victim; DROP TABLE s.victim\" not found in "
                                       "database " +
                                       db_->name()));
  EXPECT_EQ(db_->number("SELECT count(*) FROM pg_tables WHERE tablename = 'victim'"), 1);
}

TEST_F(DbMaintenance, AnUnknownTableIsAClearErrorAndNothingIsVacuumed) {
  db_->churned_table("s.a", 5000, 2000);

  auto outcome = run(R"({"tables": ["s.a", "s.missing"]})");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "diagnose failed: table \"s.missing\" not found in database " +
                               db_->name() + " (no user table of that name in that schema)");
  EXPECT_EQ(vacuums("s.a"), 0) << "every name is checked before any VACUUM";
}

TEST_F(DbMaintenance, APartitionedTableIsRefusedInFavourOfItsPartitions) {
  db_->exec("CREATE TABLE s.events (id int) PARTITION BY RANGE (id)");
  db_->exec("CREATE TABLE s.events_1 PARTITION OF s.events FOR VALUES FROM (0) TO (100000)");

  auto outcome = run(R"({"tables": ["s.events"], "min_dead_tuples": 0})");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("table \"s.events\" is partitioned and holds no rows "
                                       "itself: name its partitions instead"));
}

TEST_F(DbMaintenance, ATableWithoutSchemaIsLookedUpOnTheSearchPath) {
  db_->churned_table("public.plain", 5000, 2000);

  auto outcome = run(R"({"tables": ["plain"]})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(vacuums("public.plain"), 1);
  auto missing = run(R"({"tables": ["nowhere"]})");
  EXPECT_THAT(missing.error, HasSubstr("on the search_path; write schema.table"));
}

TEST_F(DbMaintenance, AServerThatDoesNotAnswerIsNamedByHostAndPortButNeverByPassword) {
  int port = closed_port();
  configure("conninfo = \"postgresql://tend:sekret@127.0.0.1:" + std::to_string(port) + "/tend\"");

  auto outcome = run("{}");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("[plugin.db-maintenance] conninfo: cannot connect to "
                                       "PostgreSQL at 127.0.0.1:" +
                                       std::to_string(port) + " (database tend): "));
  EXPECT_THAT(outcome.error, HasSubstr("Connection refused"));
  EXPECT_THAT(outcome.error, Not(HasSubstr("sekret")));
}

TEST_F(DbMaintenance, AConninfoThatDoesNotParseSaysSo) {
  configure(R"(conninfo = "host=127.0.0.1 port")");

  auto outcome = run("{}");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error,
              HasSubstr("[plugin.db-maintenance] conninfo: the connection string does not parse"));
}

TEST_F(DbMaintenance, WithoutConninfoItRefusesAndNamesTheSetting) {
  configure("");

  auto outcome = run("{}");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("no database to connect to: set [plugin.db-maintenance] "
                                       "conninfo = "));
}

TEST_F(DbMaintenance, OnlyDatabasesTheOperatorAllowsCanBeMaintained) {
  db_->churned_table("s.a", 5000, 2000);
  std::string server = std::getenv("TEND_TEST_PG_URL");

  // The conninfo's own database must be on the list when there is one.
  configure("conninfo = \"" + db_->url() + "\"\ndatabases = [\"postgres\"]");
  auto outside = run("{}");
  EXPECT_THAT(outside.error, HasSubstr("database \"" + db_->name() +
                                       "\" (from conninfo) is not "
                                       "in [plugin.db-maintenance] databases = [\"postgres\"]"));

  // A task may not pick a database unless the operator listed it.
  configure("conninfo = \"" + server + "\"");
  auto unlisted = run(R"({"database": ")" + db_->name() + "\"}");
  EXPECT_THAT(unlisted.error, HasSubstr("tasks may only pick databases listed in "
                                        "[plugin.db-maintenance] databases"));
  EXPECT_EQ(vacuums("s.a"), 0);

  configure("conninfo = \"" + server + "\"\ndatabases = [\"" + db_->name() + "\"]");
  auto listed = run(R"({"database": ")" + db_->name() + R"(", "tables": ["s.a"]})");
  ASSERT_TRUE(listed.succeeded) << listed.error;
  EXPECT_EQ(listed.outputs["database"], db_->name());
  EXPECT_EQ(vacuums("s.a"), 1);
}

TEST_F(DbMaintenance, CancellationStopsAVacuumWaitingForALockPromptly) {
  db_->churned_table("s.a", 5000, 2000);
  auto blocker = db_->connect();
  ASSERT_TRUE(blocker->run("BEGIN; LOCK TABLE s.a IN ACCESS EXCLUSIVE MODE").ok());

  std::atomic<bool> waiting{false};
  Clock::time_point cancelled_at{};
  std::thread canceller([&] {
    auto watch = db_->connect();
    waiting = testing::eventually(
        [&] {
          auto blocked = watch->run(
              "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
              "'tend-db-maintenance' AND wait_event_type = 'Lock'");
          return blocked.ok() && blocked.number(0, 0) > 0;
        },
        10s, 20ms);
    cancelled_at = Clock::now();
    plugin_->cancel() = true;
  });
  auto outcome = run(R"({"tables": ["s.a"], "lock_timeout": "0", "timeout": "0"})");
  const auto stopped = Clock::now();
  canceller.join();

  ASSERT_TRUE(waiting) << "the VACUUM never waited for the lock";
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("VACUUM of s.a was cancelled"));
  EXPECT_LT(stopped - cancelled_at, 2s);
  // Its session is gone from the server, not left queued behind the lock.
  testing::eventually([&] { return plugin_sessions() <= 0; }, 5s, 20ms);
  EXPECT_EQ(plugin_sessions(), 0);
  blocker.reset();
  EXPECT_EQ(vacuums("s.a"), 0);
}

TEST_F(DbMaintenance, ALockTimeoutGivesUpOnATableAnotherSessionHolds) {
  db_->churned_table("s.a", 5000, 2000);
  auto blocker = db_->connect();
  ASSERT_TRUE(blocker->run("BEGIN; LOCK TABLE s.a IN ACCESS EXCLUSIVE MODE").ok());

  const auto start = Clock::now();
  auto outcome = run(R"({"tables": ["s.a"], "lock_timeout": "1s"})");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("VACUUM of s.a gave up waiting for a lock another session "
                                       "holds (lock_timeout)"));
  EXPECT_THAT(outcome.summary, HasSubstr("vacuumed 0 tables"));
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST_F(DbMaintenance, BadParamsAreRefusedBeforeAnythingRuns) {
  db_->churned_table("s.a", 5000, 2000);

  EXPECT_THAT(run(R"({"top": 0})").error, HasSubstr("top must be between 1 and 100, got 0"));
  EXPECT_THAT(run(R"({"tables": ["s."]})").error,
              HasSubstr("table \"s.\" has an empty table name"));
  EXPECT_THAT(run(R"({"min_dead_tuples": -1})").error,
              HasSubstr("min_dead_tuples must not be negative"));
  auto rejected = plugin_->run(R"({"reindex": "maybe"})");
  ASSERT_FALSE(rejected);
  EXPECT_THAT(rejected.error().message, HasSubstr("reindex"));
  EXPECT_EQ(vacuums("s.a"), 0);
}

}  // namespace
}  // namespace tend
