#include "tests/support/test_database.h"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>

namespace tend::testing {
namespace {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// "postgresql://tend@127.0.0.1:5432/tend" with another database (and user).
std::string with_database(const std::string& url, const std::string& db, const std::string& user) {
  std::string rest = url.substr(url.find("://") + 3);
  std::string host_part = rest.substr(rest.find('@') + 1);
  host_part = host_part.substr(0, host_part.find('/'));
  return fmt::format("postgresql://{}@{}/{}", user, host_part, db);
}

Expected<void> run_as_superuser(const std::string& server_url, const std::string& sql) {
  std::unique_ptr<PGconn, ConnCloser> conn(
      PQconnectdb(with_database(server_url, "postgres", "postgres").c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return make_error(
        fmt::format("cannot reach the test PostgreSQL: {}", PQerrorMessage(conn.get())));
  }
  PGresult* result = PQexec(conn.get(), sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string error = PQresultErrorMessage(result);
  PQclear(result);
  if (!ok) return make_error(fmt::format("{}: {}", sql, error));
  return {};
}

}  // namespace

std::optional<Expected<TestDatabase>> TestDatabase::create() {
  const char* server = std::getenv("TEND_TEST_PG_URL");
  if (server == nullptr || *server == '\0') return std::nullopt;
  static std::atomic<int> counter{0};
  std::string name =
      fmt::format("tend_test_{}_{}_{}", getpid(), counter++, std::random_device{}() % 100000);
  if (auto ok = run_as_superuser(server, fmt::format("CREATE DATABASE {} OWNER tend", name)); !ok) {
    return Expected<TestDatabase>(ok.error());
  }
  return Expected<TestDatabase>(TestDatabase(server, name));
}

TestDatabase::TestDatabase(std::string server_url, std::string name)
    : server_url_(std::move(server_url)),
      name_(std::move(name)),
      url_(with_database(server_url_, name_, "tend")),
      superuser_url_(with_database(server_url_, name_, "postgres")) {}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : server_url_(std::move(other.server_url_)),
      name_(std::exchange(other.name_, {})),
      url_(std::move(other.url_)),
      superuser_url_(std::move(other.superuser_url_)) {}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  (void)run_as_superuser(server_url_,
                         fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
}

}  // namespace tend::testing
