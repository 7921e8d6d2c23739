// One PostgreSQL session over libpq, the only owner of its PGconn and of every
// PGresult it hands out. Everything is asynchronous underneath so that a task
// that is cancelled stops promptly: connecting polls the socket between
// checks of `cancelled`, and a statement that is still running when the task
// is cancelled gets a cancel request (PQcancel), which also ends a VACUUM or
// REINDEX that is waiting on somebody else's lock.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tend::db_maintenance {

using Cancelled = std::function<bool()>;

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// How one statement ended. `result` holds the rows when it succeeded.
struct Statement {
  PgResult result;
  std::string error;       // PostgreSQL's message, one line; empty on success
  std::string sqlstate;    // e.g. 55P03 lock_not_available, 57014 query_canceled
  bool cancelled = false;  // we asked the server to stop it: the task was cancelled

  bool ok() const { return error.empty() && !cancelled; }
  // Rows and columns of the result, as text ("" for NULL).
  int rows() const;
  std::string text(int row, int column) const;
  int64_t number(int row, int column) const;
};

struct ConnectRequest {
  std::string conninfo;  // a libpq connection string or postgresql:// URL
  std::string database;  // when not empty, replaces the conninfo's dbname
  std::chrono::seconds timeout{10};
  std::string application_name = "tend-db-maintenance";
};

class PgConnection {
 public:
  // A session, or nullptr with `error` saying why: a conninfo that does not
  // parse, or the server that could not be reached (naming host and port;
  // never the password).
  static std::unique_ptr<PgConnection> connect(const ConnectRequest& request,
                                               const Cancelled& cancelled, std::string& error);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One statement. `params` are passed separately from the SQL ($1, $2...)
  // and never spliced into it; without params the simple protocol is used,
  // which VACUUM needs (it may not run inside a transaction block).
  Statement run(const std::string& sql, const std::vector<std::string>& params = {},
                const Cancelled& cancelled = {});

  // `name` as a quoted SQL identifier ("a""b"), whatever it contains.
  std::string quote_identifier(std::string_view name) const;

  // WARNINGs and NOTICEs the server sent during the last statement.
  const std::vector<std::string>& notices() const { return notices_; }

  std::string database() const;
  std::string host() const;
  std::string port() const;
  // False once the connection was lost or abandoned after a cancel that
  // the server did not answer: nothing more may be sent on it.
  bool usable() const { return usable_; }

 private:
  struct ConnDeleter {
    void operator()(PGconn* conn) const { PQfinish(conn); }
  };
  explicit PgConnection(PGconn* conn);
  static void receive_notice(void* self, const PGresult* result);

  std::unique_ptr<PGconn, ConnDeleter> conn_;
  std::vector<std::string> notices_;
  bool usable_ = true;
};

// libpq's multi-line messages as one line.
std::string one_line(std::string_view message);

}  // namespace tend::db_maintenance
