// The schema is brought up to date at start, once, and a database from a
// newer release is refused rather than written to.
#include "core/store/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "schemas/migrations.h"
#include "tests/core/store/store_test_database.h"

namespace tend::store {
namespace {

using ::testing::HasSubstr;

class MigrationsTest : public StoreTest {};

TEST_F(MigrationsTest, AFreshDatabaseGetsEveryTable) {
  const int latest = schema::migrations().back().version;
  EXPECT_EQ(count("SELECT max(version) FROM schema_migrations"), latest);
  for (const char* table : {"nodes", "node_health", "tasks", "task_acks", "results", "audit_log",
                            "incidents", "coordinators"}) {
    EXPECT_EQ(
        count(std::string("SELECT count(*) FROM pg_tables WHERE tablename = '") + table + "'"), 1)
        << table;
  }
}

TEST_F(MigrationsTest, RunningAgainChangesNothing) {
  auto again = migrate(*conn_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->from_version, again->to_version);
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(schema::migrations().size()));
}

TEST_F(MigrationsTest, ADatabaseFromANewerReleaseIsRefused) {
  ASSERT_TRUE(conn_->exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"));
  auto refused = migrate(*conn_);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("schema is at version 9999, newer than"));
  EXPECT_THAT(refused.error().message, HasSubstr("upgrade tend"));
}

TEST_F(MigrationsTest, AMigrationOfAnotherReleaseUnderTheSameNumberIsRefused) {
  ASSERT_TRUE(
      conn_->exec("UPDATE schema_migrations SET name = 'something-else' WHERE version = 1"));
  auto refused = migrate(*conn_);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("different tend releases"));
}

TEST(PgConnection, AnUnreachableServerIsNamedInTheError) {
  auto conn = PgConnection::connect("postgresql://tend@127.0.0.1:1/tend", std::chrono::seconds(2));
  ASSERT_FALSE(conn);
  EXPECT_THAT(conn.error().message, HasSubstr("cannot reach PostgreSQL"));
  EXPECT_THAT(conn.error().message, HasSubstr("127.0.0.1"));
}

}  // namespace
}  // namespace tend::store
