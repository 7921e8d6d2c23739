// A fresh PostgreSQL database for one test, on the server scripts/test
// started (TEND_TEST_PG_URL), dropped at the end. Tests that need one skip,
// saying why, when that variable is not set.
#pragma once

#include <optional>
#include <string>

#include "bus/expected.h"

namespace tend::testing {

class TestDatabase {
 public:
  // Nothing when TEND_TEST_PG_URL is not set; an error when the server is
  // set but the database cannot be made.
  static std::optional<Expected<TestDatabase>> create();

  ~TestDatabase();
  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&&) = delete;
  TestDatabase(const TestDatabase&) = delete;

  // As the role tend, which owns the database (what the coordinator uses).
  const std::string& url() const { return url_; }
  // As the superuser postgres: for tests that play the attacker.
  const std::string& superuser_url() const { return superuser_url_; }
  const std::string& name() const { return name_; }

 private:
  TestDatabase(std::string server_url, std::string name);

  std::string server_url_;  // TEND_TEST_PG_URL
  std::string name_;
  std::string url_;
  std::string superuser_url_;
};

}  // namespace tend::testing
