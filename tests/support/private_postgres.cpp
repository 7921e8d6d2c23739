#include "tests/support/private_postgres.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include "tests/support/child_process.h"
#include "tests/support/loopback_port.h"

namespace tend::testing {
namespace {

constexpr const char* kBin = "/usr/lib/postgresql/15/bin";
constexpr auto kStepTimeout = std::chrono::seconds(60);

}  // namespace

PrivatePostgres::~PrivatePostgres() {
  if (running_) (void)stop();
}

std::string PrivatePostgres::superuser_url() const {
  return fmt::format("postgresql://postgres@127.0.0.1:{}/tend", port_);
}

Expected<void> PrivatePostgres::run_as_postgres(const std::vector<std::string>& argv,
                                                const std::string& name) {
  std::vector<std::string> full{"runuser", "-u", "postgres", "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  auto done = run_to_completion(full, dir_.path(), name, kStepTimeout);
  if (!done) return done.error();
  if (done->exit_code != 0) {
    return make_error(
        fmt::format("{} failed ({}): {}{}", argv.front(), done->exit_code, done->out, done->err));
  }
  return {};
}

Expected<void> PrivatePostgres::start() {
  const auto data = dir_.path() / "data";
  if (port_ == 0) {
    passwd* pg = getpwnam("postgres");
    if (pg == nullptr)
      return make_error("no postgres user: is postgresql installed (scripts/setup)?");
    std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
    std::filesystem::create_directories(data);
    if (chown(data.c_str(), pg->pw_uid, pg->pw_gid) != 0) {
      return make_error("cannot give " + data.string() + " to the postgres user");
    }
    if (auto ok = run_as_postgres(
            {fmt::format("{}/initdb", kBin), "-D", data.string(), "-A", "trust", "-U", "postgres"},
            "initdb");
        !ok) {
      return ok;
    }
    port_ = free_loopback_port();
    url_ = fmt::format("postgresql://tend@127.0.0.1:{}/tend", port_);
  }
  if (auto ok = run_as_postgres(
          {fmt::format("{}/pg_ctl", kBin), "-D", data.string(), "-l",
           (data / "postgres.log").string(), "-w", "-t", "60", "-o",
           fmt::format("-h 127.0.0.1 -p {} -k {} -c fsync=off", port_, data.string()), "start"},
          "pg_ctl-start");
      !ok) {
    return ok;
  }
  running_ = true;
  const std::string psql = fmt::format("{}/psql", kBin);
  const std::string server = fmt::format("postgresql://postgres@127.0.0.1:{}/postgres", port_);
  // Idempotent: the second start finds both already there.
  (void)run_as_postgres({psql, server, "-qc", "CREATE ROLE tend LOGIN CREATEDB"}, "role");
  (void)run_as_postgres({psql, server, "-qc", "CREATE DATABASE tend OWNER tend"}, "database");
  return {};
}

Expected<void> PrivatePostgres::stop() {
  running_ = false;
  return run_as_postgres({fmt::format("{}/pg_ctl", kBin), "-D", (dir_.path() / "data").string(),
                          "-m", "immediate", "-w", "stop"},
                         "pg_ctl-stop");
}

}  // namespace tend::testing
