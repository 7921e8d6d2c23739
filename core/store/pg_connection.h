// One PostgreSQL connection through libpq, with the one RAII owner each of
// PGconn and PGresult gets. Statements take their values as parameters,
// never spliced into SQL text; bulk rows go in with COPY.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"

namespace tend::store {

struct PgConnDeleter {
  void operator()(PGconn* p) const { PQfinish(p); }
};
struct PgResultDeleter {
  void operator()(PGresult* p) const { PQclear(p); }
};
struct PgCancelDeleter {
  void operator()(PGcancel* p) const { PQfreeCancel(p); }
};

// Stops whatever statement its connection is running, from any thread (the
// statement then fails with "canceling statement due to user request").
// Made on the connection's own thread; valid while the connection lives.
class PgCanceller {
 public:
  explicit PgCanceller(std::unique_ptr<PGcancel, PgCancelDeleter> cancel)
      : cancel_(std::move(cancel)) {}
  void cancel() const;

 private:
  std::unique_ptr<PGcancel, PgCancelDeleter> cancel_;
};

// A query's rows. Values are text (libpq's text format); NULL reads as "".
class PgRows {
 public:
  explicit PgRows(std::unique_ptr<PGresult, PgResultDeleter> result) : result_(std::move(result)) {}

  int size() const { return PQntuples(result_.get()); }
  bool empty() const { return size() == 0; }
  std::string_view get(int row, int column) const;
  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  int64_t get_int(int row, int column) const;
  bool get_bool(int row, int column) const { return get(row, column) == "t"; }
  // A bytea column, decoded from libpq's hex text form.
  std::string get_bytes(int row, int column) const;

 private:
  std::unique_ptr<PGresult, PgResultDeleter> result_;
};

// Parameters as text; nullopt is SQL NULL.
using PgParams = std::vector<std::optional<std::string>>;

class PgConnection {
 public:
  // `url` is a libpq connection string or URI. Fails with the server's own
  // reason, e.g. "connection to server at 127.0.0.1, port 5432 failed:
  // Connection refused". `application_name` is what pg_stat_activity shows.
  static Expected<std::unique_ptr<PgConnection>> connect(
      const std::string& url, std::chrono::seconds timeout,
      const char* application_name = "tend-coordinator");

  Expected<PgRows> query(std::string_view sql, const PgParams& params = {});
  Expected<void> exec(std::string_view sql, const PgParams& params = {});

  // Several statements at once, without parameters (a migration).
  Expected<void> exec_script(std::string_view sql);

  // COPY ... FROM STDIN with rows already in COPY text format (copy_text.h).
  Expected<void> copy_in(std::string_view copy_sql, const std::string& rows);

  // False once the server went away; the owner connects afresh.
  bool ok() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

  // For another thread to stop a statement this connection runs.
  PgCanceller canceller() const { return PgCanceller({PQgetCancel(conn_.get()), {}}); }

  // bytea parameter as libpq's hex text form ("\x0a1b...").
  static std::string bytea_text(std::string_view bytes);

 private:
  explicit PgConnection(std::unique_ptr<PGconn, PgConnDeleter> conn) : conn_(std::move(conn)) {}
  Expected<std::unique_ptr<PGresult, PgResultDeleter>> run(std::string_view sql,
                                                           const PgParams& params);
  std::string last_error() const;

  std::unique_ptr<PGconn, PgConnDeleter> conn_;
};

// A transaction that rolls back unless committed: errors mid-batch leave
// nothing half-written.
class PgTransaction {
 public:
  static Expected<PgTransaction> begin(PgConnection& conn);
  PgTransaction(PgTransaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  PgTransaction& operator=(PgTransaction&&) = delete;
  ~PgTransaction();

  Expected<void> commit();

 private:
  explicit PgTransaction(PgConnection& conn) : conn_(&conn) {}
  PgConnection* conn_;
};

}  // namespace tend::store
