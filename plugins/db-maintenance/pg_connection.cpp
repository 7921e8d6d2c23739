#include "plugins/db-maintenance/pg_connection.h"

#include <poll.h>

#include <cerrno>
#include <cstdlib>

namespace tend::db_maintenance {
namespace {

using Clock = std::chrono::steady_clock;

// How often a wait looks at `cancelled`: short enough to stop within a blink.
constexpr int kSliceMs = 50;
// How long a cancelled statement may take to answer before the session is
// given up (closing it makes the server end the backend on its next check).
constexpr auto kCancelAnswer = std::chrono::seconds(5);

// Waits until the socket is ready for `events`, a slice at a time; false
// when `cancelled` said stop first.
bool wait_socket(int socket, short events, Clock::time_point deadline, const Cancelled& cancelled,
                 bool& timed_out) {
  while (true) {
    if (cancelled && cancelled()) return false;
    if (Clock::now() >= deadline) {
      timed_out = true;
      return false;
    }
    if (socket < 0) return true;  // let libpq find out what is wrong
    pollfd fd{socket, events, 0};
    int ready = poll(&fd, 1, kSliceMs);
    if (ready > 0 || (ready < 0 && errno != EINTR)) return true;
  }
}

std::string or_empty(const char* text) { return text ? text : ""; }

}  // namespace

std::string one_line(std::string_view message) {
  std::string out;
  bool gap = false;
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += out.back() == '.' || out.back() == ':' ? " " : "; ";
    gap = false;
    out += c;
  }
  return out;
}

int Statement::rows() const { return result ? PQntuples(result.get()) : 0; }

std::string Statement::text(int row, int column) const {
  if (!result || PQgetisnull(result.get(), row, column)) return "";
  return PQgetvalue(result.get(), row, column);
}

int64_t Statement::number(int row, int column) const {
  return std::strtoll(text(row, column).c_str(), nullptr, 10);
}

PgConnection::PgConnection(PGconn* conn) : conn_(conn) {
  PQsetNoticeReceiver(conn, &PgConnection::receive_notice, this);
}

void PgConnection::receive_notice(void* self, const PGresult* result) {
  auto* session = static_cast<PgConnection*>(self);
  std::string severity = or_empty(PQresultErrorField(result, PG_DIAG_SEVERITY_NONLOCALIZED));
  std::string message = or_empty(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  session->notices_.push_back(severity.empty() ? message : severity + ": " + message);
}

std::unique_ptr<PgConnection> PgConnection::connect(const ConnectRequest& request,
                                                    const Cancelled& cancelled,
                                                    std::string& error) {
  // Parsed first, so that a typo reads as one rather than as a dead server.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(request.conninfo.c_str(), &parse_error);
  if (!parsed) {
    error = "the connection string does not parse: " +
            one_line(parse_error ? parse_error : "out of memory");
    PQfreemem(parse_error);
    return nullptr;
  }
  PQconninfoFree(parsed);

  // Later keywords win, except that only the first dbname is expanded as a
  // connection string: so `database` replaces the conninfo's dbname.
  std::vector<const char*> keys = {"fallback_application_name", "dbname"};
  std::vector<const char*> values = {request.application_name.c_str(), request.conninfo.c_str()};
  if (!request.database.empty()) {
    keys.push_back("dbname");
    values.push_back(request.database.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* raw = PQconnectStartParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (!raw) {
    error = "cannot start a connection to PostgreSQL: out of memory";
    return nullptr;
  }
  std::unique_ptr<PgConnection> session(new PgConnection(raw));
  auto where = [&] {
    return "PostgreSQL at " + session->host() + ":" + session->port() + " (database " +
           session->database() + ")";
  };

  const auto deadline = Clock::now() + request.timeout;
  PostgresPollingStatusType state =
      PQstatus(raw) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) {
      error = "cannot connect to " + where() + ": " + one_line(PQerrorMessage(raw));
      return nullptr;
    }
    bool timed_out = false;
    short events = state == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    if (!wait_socket(PQsocket(raw), events, deadline, cancelled, timed_out)) {
      error = timed_out ? "cannot connect to " + where() + ": no answer within " +
                              std::to_string(request.timeout.count()) + " s"
                        : "cancelled while connecting to " + where();
      return nullptr;
    }
    state = PQconnectPoll(raw);
  }
  return session;
}

Statement PgConnection::run(const std::string& sql, const std::vector<std::string>& params,
                            const Cancelled& cancelled) {
  Statement out;
  notices_.clear();
  PGconn* conn = conn_.get();
  if (!usable_) {
    out.error = "the connection to PostgreSQL was lost";
    return out;
  }
  int sent = 0;
  if (params.empty()) {
    sent = PQsendQuery(conn, sql.c_str());
  } else {
    std::vector<const char*> values;
    for (const auto& param : params) values.push_back(param.c_str());
    sent = PQsendQueryParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0);
  }
  if (!sent) {
    usable_ = PQstatus(conn) == CONNECTION_OK;
    out.error = one_line(PQerrorMessage(conn));
    return out;
  }

  bool cancel_sent = false;
  Clock::time_point cancel_at;
  while (true) {
    // Everything that has arrived; a statement may bring several results.
    while (!PQisBusy(conn)) {
      PgResult result(PQgetResult(conn));
      if (!result) {
        // The last result came in: the statement is over.
        out.cancelled = cancel_sent && out.sqlstate == "57014";
        return out;
      }
      ExecStatusType status = PQresultStatus(result.get());
      if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE) {
        if (out.error.empty()) {
          std::string primary = or_empty(PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY));
          out.error = one_line(primary.empty() ? PQresultErrorMessage(result.get()) : primary);
          out.sqlstate = or_empty(PQresultErrorField(result.get(), PG_DIAG_SQLSTATE));
        }
      } else {
        out.result = std::move(result);
      }
    }
    if (!cancel_sent && cancelled && cancelled()) {
      // A separate connection asks the server to stop this backend's
      // statement; the statement then ends with SQLSTATE 57014.
      std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> cancel(PQgetCancel(conn), &PQfreeCancel);
      char reason[256] = {};
      if (cancel) PQcancel(cancel.get(), reason, sizeof reason);
      cancel_sent = true;
      cancel_at = Clock::now();
    }
    if (cancel_sent && Clock::now() - cancel_at > kCancelAnswer) {
      usable_ = false;
      out.cancelled = true;
      out.error = "the server did not stop the statement within 5 s of the cancel request";
      return out;
    }
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (poll(&fd, 1, kSliceMs) < 0 && errno != EINTR) {
      usable_ = false;
      out.error = "cannot wait for PostgreSQL's answer";
      return out;
    }
    if (!PQconsumeInput(conn)) {
      usable_ = false;
      out.error = "lost the connection to PostgreSQL: " + one_line(PQerrorMessage(conn));
      return out;
    }
  }
}

std::string PgConnection::quote_identifier(std::string_view name) const {
  std::string text(name);
  char* quoted = PQescapeIdentifier(conn_.get(), text.c_str(), text.size());
  if (!quoted) return {};
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

std::string PgConnection::database() const { return or_empty(PQdb(conn_.get())); }
std::string PgConnection::host() const { return or_empty(PQhost(conn_.get())); }
std::string PgConnection::port() const { return or_empty(PQport(conn_.get())); }

}  // namespace tend::db_maintenance
