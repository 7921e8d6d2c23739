// A PostgreSQL server of one test's own, for tests that stop and start it
// under the programs (the shared one scripts/test starts must stay up for
// every other test). Its cluster belongs to the postgres user, because
// PostgreSQL refuses to run as root; the role and database "tend" exist.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

class PrivatePostgres {
 public:
  PrivatePostgres() = default;
  ~PrivatePostgres();
  PrivatePostgres(const PrivatePostgres&) = delete;
  PrivatePostgres& operator=(const PrivatePostgres&) = delete;

  // Makes the cluster on first use, then starts it on the same port each time.
  Expected<void> start();
  // Stops it at once ("immediate": as if the machine lost it).
  Expected<void> stop();

  // postgresql://tend@127.0.0.1:PORT/tend
  const std::string& url() const { return url_; }
  // The same database as the superuser postgres.
  std::string superuser_url() const;

 private:
  Expected<void> run_as_postgres(const std::vector<std::string>& argv, const std::string& name);

  TempDir dir_{"tend-postgres"};
  int port_ = 0;
  bool running_ = false;
  std::string url_;
};

}  // namespace tend::testing
