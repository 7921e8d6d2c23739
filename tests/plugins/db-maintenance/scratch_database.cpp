#include "tests/plugins/db-maintenance/scratch_database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace tend::testing {
namespace {

using db_maintenance::ConnectRequest;
using db_maintenance::PgConnection;
using db_maintenance::Statement;

// The server's URL with another database name in place of its own.
std::string with_database(const std::string& url, const std::string& database) {
  return url.substr(0, url.rfind('/') + 1) + database;
}

std::unique_ptr<PgConnection> open(const std::string& url) {
  std::string error;
  ConnectRequest request;
  request.conninfo = url;
  request.application_name = "tend-test";
  auto db = PgConnection::connect(request, {}, error);
  EXPECT_TRUE(db) << error;
  return db;
}

}  // namespace

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(std::string& why) {
  const char* server = std::getenv("TEND_TEST_PG_URL");
  if (!server || !*server) {
    why = "TEND_TEST_PG_URL is not set: run through scripts/test, which starts PostgreSQL";
    return nullptr;
  }
  static std::atomic<int> counter{0};
  std::string name = "tend_dbm_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  auto admin = open(server);
  if (!admin) {
    why = "cannot reach " + std::string(server);
    return nullptr;
  }
  Statement created = admin->run("CREATE DATABASE " + admin->quote_identifier(name));
  EXPECT_TRUE(created.ok()) << created.error;
  return std::unique_ptr<ScratchDatabase>(new ScratchDatabase(server, name));
}

ScratchDatabase::ScratchDatabase(std::string server_url, std::string name)
    : server_url_(std::move(server_url)),
      name_(std::move(name)),
      url_(with_database(server_url_, name_)),
      session_(open(url_)) {}

ScratchDatabase::~ScratchDatabase() {
  session_.reset();
  if (std::getenv("TEND_TEST_KEEP_TMP")) return;
  if (auto admin = open(server_url_)) {
    admin->run("DROP DATABASE IF EXISTS " + admin->quote_identifier(name_) + " WITH (FORCE)");
  }
}

std::unique_ptr<PgConnection> ScratchDatabase::connect() const { return open(url_); }

Statement ScratchDatabase::exec(const std::string& sql) const {
  Statement done = session_->run(sql);
  EXPECT_TRUE(done.ok()) << sql << ": " << done.error;
  return done;
}

int64_t ScratchDatabase::number(const std::string& sql) const {
  Statement done = exec(sql);
  return done.rows() > 0 ? done.number(0, 0) : -1;
}

void ScratchDatabase::churned_table(const std::string& qualified, int rows, int deleted) const {
  exec("CREATE TABLE " + qualified +
       " (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = false)");
  exec("INSERT INTO " + qualified + " SELECT g, repeat('x', 20) FROM generate_series(1, " +
       std::to_string(rows) + ") g");
  exec("DELETE FROM " + qualified + " WHERE id <= " + std::to_string(deleted));
  // Counters reach the shared statistics when the backend goes idle after
  // this, before the server answers.
  exec("SELECT pg_stat_force_next_flush()");
}

}  // namespace tend::testing
