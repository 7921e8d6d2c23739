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

  int64_t count(const std::string& sql) {
    auto rows = conn_->query(sql);
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? rows->get_int(0, 0) : -1;
  }

  std::optional<testing::TestDatabase> db_;
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace tend::store
