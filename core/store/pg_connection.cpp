#include "core/store/pg_connection.h"

#include <fmt/format.h>

#include <charconv>

namespace tend::store {
namespace {

// libpq's messages end with a newline and sometimes run over two lines.
std::string one_line(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (auto& c : s) {
    if (c == '\n') c = ' ';
  }
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

}  // namespace

void PgCanceller::cancel() const {
  if (!cancel_) return;
  char error[256];
  (void)PQcancel(cancel_.get(), error, sizeof(error));
}

std::string_view PgRows::get(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  return value
             ? std::string_view(value, static_cast<size_t>(PQgetlength(result_.get(), row, column)))
             : std::string_view();
}

int64_t PgRows::get_int(int row, int column) const {
  std::string_view text = get(row, column);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string PgRows::get_bytes(int row, int column) const {
  std::string_view text = get(row, column);
  std::string bytes;
  if (text.size() < 2 || text.substr(0, 2) != "\\x") return bytes;
  bytes.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    bytes.push_back(static_cast<char>(hex_value(text[i]) << 4 | hex_value(text[i + 1])));
  }
  return bytes;
}

Expected<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& url,
                                                              std::chrono::seconds timeout,
                                                              const char* application_name) {
  // connect_timeout as a separate keyword: the URL may be a URI or key=value.
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  std::string seconds = std::to_string(std::max<int64_t>(1, timeout.count()));
  const char* values[] = {url.c_str(), seconds.c_str(), application_name, nullptr};
  std::unique_ptr<PGconn, PgConnDeleter> conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn) return make_error("cannot allocate a PostgreSQL connection");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return make_error(
        fmt::format("cannot reach PostgreSQL: {}", one_line(PQerrorMessage(conn.get()))));
  }
  auto pg = std::unique_ptr<PgConnection>(new PgConnection(std::move(conn)));
  // Timestamps are written and read as UTC, whatever the server's default.
  if (auto ok = pg->exec("SET TIME ZONE 'UTC'"); !ok) return ok.error();
  return pg;
}

std::string PgConnection::last_error() const { return one_line(PQerrorMessage(conn_.get())); }

Expected<std::unique_ptr<PGresult, PgResultDeleter>> PgConnection::run(std::string_view sql,
                                                                       const PgParams& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  std::string text(sql);
  std::unique_ptr<PGresult, PgResultDeleter> result(
      PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                   values.data(), nullptr, nullptr, 0));
  if (!result) return make_error(fmt::format("PostgreSQL: {}", last_error()));
  auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return make_error(fmt::format("PostgreSQL: {}", one_line(PQresultErrorMessage(result.get()))));
  }
  return result;
}

Expected<PgRows> PgConnection::query(std::string_view sql, const PgParams& params) {
  auto result = run(sql, params);
  if (!result) return result.error();
  return PgRows(std::move(*result));
}

Expected<void> PgConnection::exec(std::string_view sql, const PgParams& params) {
  auto result = run(sql, params);
  if (!result) return result.error();
  return {};
}

Expected<void> PgConnection::exec_script(std::string_view sql) {
  std::string text(sql);
  std::unique_ptr<PGresult, PgResultDeleter> result(PQexec(conn_.get(), text.c_str()));
  if (!result) return make_error(fmt::format("PostgreSQL: {}", last_error()));
  auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return make_error(fmt::format("PostgreSQL: {}", one_line(PQresultErrorMessage(result.get()))));
  }
  return {};
}

Expected<void> PgConnection::copy_in(std::string_view copy_sql, const std::string& rows) {
  std::string text(copy_sql);
  std::unique_ptr<PGresult, PgResultDeleter> start(PQexec(conn_.get(), text.c_str()));
  if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
    return make_error(fmt::format("PostgreSQL: cannot start COPY: {}", last_error()));
  }
  if (!rows.empty() &&
      PQputCopyData(conn_.get(), rows.data(), static_cast<int>(rows.size())) != 1) {
    return make_error(fmt::format("PostgreSQL: COPY failed: {}", last_error()));
  }
  if (PQputCopyEnd(conn_.get(), nullptr) != 1) {
    return make_error(fmt::format("PostgreSQL: COPY failed: {}", last_error()));
  }
  std::unique_ptr<PGresult, PgResultDeleter> end(PQgetResult(conn_.get()));
  std::string error;
  if (!end || PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
    error = end ? one_line(PQresultErrorMessage(end.get())) : last_error();
  }
  // Drain to the end of this command, as libpq requires.
  while (std::unique_ptr<PGresult, PgResultDeleter> more{PQgetResult(conn_.get())}) {
  }
  if (!error.empty()) return make_error(fmt::format("PostgreSQL: COPY failed: {}", error));
  return {};
}

std::string PgConnection::bytea_text(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    text.push_back(kHex[c >> 4]);
    text.push_back(kHex[c & 0xf]);
  }
  return text;
}

Expected<PgTransaction> PgTransaction::begin(PgConnection& conn) {
  if (auto ok = conn.exec("BEGIN"); !ok) return ok.error();
  return PgTransaction(conn);
}

PgTransaction::~PgTransaction() {
  if (conn_ && conn_->ok()) (void)conn_->exec("ROLLBACK");
}

Expected<void> PgTransaction::commit() {
  PgConnection* conn = std::exchange(conn_, nullptr);
  if (!conn) return make_error("transaction already ended");
  return conn->exec("COMMIT");
}

}  // namespace tend::store
