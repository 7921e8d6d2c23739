// store::Database, the one reconnecting connection: a holder that must not
// stall hears at once that the server is away and is not made to wait on a
// connect at every call; a holder that waits is let go when it stops; both
// get a new connection, prepared alike, when a restart ends theirs.
#include "core/store/database.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/core/store/store_test_database.h"

namespace tend::store {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Nothing listens on port 1: refused at once.
constexpr const char* kNowhere = "postgresql://tend@127.0.0.1:1/tend";

TEST(Backoff, StartsSoonDoublesAndStopsAtFiveSeconds) {
  Backoff backoff;
  EXPECT_EQ(backoff.next(), 100ms);
  EXPECT_EQ(backoff.next(), 200ms);
  EXPECT_EQ(backoff.next(), 400ms);
  for (int i = 0; i < 10; ++i) backoff.next();
  EXPECT_EQ(backoff.next(), 5s);
  backoff.reset();
  EXPECT_EQ(backoff.next(), 100ms);
}

TEST(Database, AHolderThatMustNotStallHearsAtOnceAndIsNotMadeToWaitAgain) {
  Database db({.url = kNowhere, .who = "test"});
  auto first = db.query("SELECT 1");
  ASSERT_FALSE(first);
  EXPECT_THAT(first.error().message, HasSubstr("cannot reach PostgreSQL"));
  EXPECT_FALSE(db.connected());
  EXPECT_GT(db.next_try_in(), 0ms);
  EXPECT_LE(db.next_try_in(), Backoff::kFirst);
  // Before the back-off is over, the last failure again, without a try.
  auto again = db.query("SELECT 1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, first.error().message);
}

TEST(Database, AHolderThatWaitsIsLetGoWhenItStops) {
  std::atomic<bool> stopping{false};
  Database db(kNowhere, "test", stopping);
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stopping = true;
  });
  const auto started = std::chrono::steady_clock::now();
  auto waited = db.query("SELECT 1");
  stopper.join();
  ASSERT_FALSE(waited);
  EXPECT_THAT(waited.error().message, HasSubstr("test is stopping"));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

// A restart is played by StoreTest::end_other_connections().
class DatabaseTest : public StoreTest {};

TEST_F(DatabaseTest, AConnectionARestartEndedIsReplacedPreparedAlike) {
  int prepared = 0;
  Database db({.url = db_->url(), .who = "test", .prepare = [&](PgConnection& conn) {
                 ++prepared;
                 return conn.exec("SET statement_timeout = '7s'");
               }});
  auto before = db.query("SHOW statement_timeout");
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->get(0, 0), "7s");
  EXPECT_TRUE(db.connected());
  ASSERT_NO_FATAL_FAILURE(end_other_connections());
  auto after = db.query("SHOW statement_timeout");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->get(0, 0), "7s");
  EXPECT_EQ(prepared, 2);
}

TEST_F(DatabaseTest, AnSqlErrorIsAnErrorAndKeepsTheConnection) {
  Database db({.url = db_->url(), .who = "test"});
  auto bad = db.query("SELECT * FROM no_such_table");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("no_such_table"));
  EXPECT_TRUE(db.connected());
}

TEST_F(DatabaseTest, AHolderThatWaitsGetsItsServerOnceItIsThere) {
  // A database that is not there yet, as a server still starting.
  const std::string url = db_->url();
  const std::string later = db_->name() + "_later";
  const std::string later_url = url.substr(0, url.rfind('/') + 1) + later;
  auto root = connect(db_->superuser_url());
  ASSERT_TRUE(root);
  std::atomic<bool> stopping{false};
  Database db(later_url, "test", stopping);
  std::thread creator([&] {
    std::this_thread::sleep_for(500ms);
    EXPECT_TRUE(root->exec(fmt::format("CREATE DATABASE {} OWNER tend", later)));
  });
  auto waited = db.query("SELECT 1");
  creator.join();
  EXPECT_TRUE(waited) << waited.error().message;
  db.close();
  (void)root->exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", later));
}

TEST_F(DatabaseTest, CancelStopsTheStatementFromAnotherThread) {
  Database db({.url = db_->url(), .who = "test"});
  ASSERT_TRUE(db.query("SELECT 1"));
  std::thread canceller([&] {
    std::this_thread::sleep_for(300ms);
    db.cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  auto slept = db.query("SELECT pg_sleep(30)");
  canceller.join();
  ASSERT_FALSE(slept);
  EXPECT_THAT(slept.error().message, HasSubstr("canceling statement"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_TRUE(db.connected());
}

}  // namespace
}  // namespace tend::store
