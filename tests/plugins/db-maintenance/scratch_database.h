// A private database for one test on the PostgreSQL that scripts/test
// started (TEND_TEST_PG_URL), dropped again at the end. Private, so that no
// other test's open transaction holds back what VACUUM may remove, and no
// other test's tables show up among the most churned.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "plugins/db-maintenance/pg_connection.h"

namespace tend::testing {

class ScratchDatabase {
 public:
  // nullptr with `why` when there is no server to test against.
  static std::unique_ptr<ScratchDatabase> create(std::string& why);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const { return name_; }
  // postgresql://tend@127.0.0.1:PORT/<name>
  const std::string& url() const { return url_; }

  // A new session on it (a test may need several: one holding a lock).
  std::unique_ptr<db_maintenance::PgConnection> connect() const;

  // Runs `sql` on the test's own session; a failure fails the test.
  db_maintenance::Statement exec(const std::string& sql) const;
  int64_t number(const std::string& sql) const;

  // A table `schema.table` with `rows` rows of which `deleted` are deleted
  // again, autovacuum off, and the counts flushed to the statistics.
  void churned_table(const std::string& qualified, int rows, int deleted) const;

 private:
  ScratchDatabase(std::string server_url, std::string name);

  std::string server_url_;
  std::string name_;
  std::string url_;
  std::unique_ptr<db_maintenance::PgConnection> session_;
};

}  // namespace tend::testing
