// The fixture every store test against PostgreSQL starts from: a fresh
// database, migrated, and a connection to it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "core/store/migrations.h"
#include "core/store/pg_connection.h"
#include "tests/support/test_database.h"

namespace tend::store {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = testing::TestDatabase::create();
    if (!created) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run through scripts/test";
    ASSERT_TRUE(*created) << created->error().message;
    db_.emplace(std::move(**created));
    conn_ = connect(db_->url());
    auto migrated = migrate(*conn_);
    ASSERT_TRUE(migrated) << migrated.error().message;
  }

  static std::unique_ptr<PgConnection> connect(const std::string& url) {
    auto conn = PgConnection::connect(url, std::chrono::seconds(5));
    EXPECT_TRUE(conn) << conn.error().message;
    return conn ? std::move(*conn) : nullptr;
  }

  // What a PostgreSQL restart does to every connection but the test's own
  // (conn_): ends it.
  void end_other_connections() {
    auto root = connect(db_->superuser_url());
    auto own = conn_->query("SELECT pg_backend_pid()");
    ASSERT_TRUE(own && root);
    auto ended = root->query(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
        "current_database() AND pid <> pg_backend_pid() AND pid <> $1",
        {std::string(own->get(0, 0))});
    ASSERT_TRUE(ended) << ended.error().message;
    ASSERT_GE(ended->get_int(0, 0), 1);
  }

  int64_t count(const std::string& sql) {
    auto rows = conn_->query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? rows->get_int(0, 0) : -1;
  }

  std::optional<testing::TestDatabase> db_;
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace tend::store
