// The alert loop's own PostgreSQL connection, used on its thread alone.
// When PostgreSQL goes away the loop waits for it (with back-off, saying so
// in the log) rather than deciding without its knowledge base, approvals and
// breakers: alerts queue up meanwhile and are handled once it is back.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bus/expected.h"
#include "core/store/pg_connection.h"

namespace tend::alerts {

class AlertDatabase {
 public:
  // `stopping` ends the wait for a lost server.
  AlertDatabase(std::string url, const std::atomic<bool>& stopping)
      : url_(std::move(url)), stopping_(stopping) {}

  // Runs `op` on a live connection. When the connection was lost, it
  // reconnects (waiting as long as it takes, unless stopping) and runs `op`
  // again; an SQL error comes back as an error.
  template <typename T>
  Expected<T> run(const std::function<Expected<T>(store::PgConnection&)>& op) {
    for (;;) {
      if (!connected()) return make_error("the alert loop is stopping");
      auto result = op(*conn_);
      if (result || conn_->ok()) return result;
      conn_.reset();
    }
  }

  // Convenience for one statement.
  Expected<store::PgRows> query(std::string_view sql, const store::PgParams& params = {});
  Expected<void> exec(std::string_view sql, const store::PgParams& params = {});

 private:
  // False only when stopping before a connection could be made.
  bool connected();

  std::string url_;
  const std::atomic<bool>& stopping_;
  std::unique_ptr<store::PgConnection> conn_;
};

// Timestamps travel as microseconds since the epoch.
std::string timestamp_param(int n);             // "to_timestamp($n::double precision / 1000000)"
std::string epoch_us(std::string_view column);  // "(extract(epoch from c) * 1000000)::bigint"
// A time as a parameter for timestamp_param: NULL for the zero time.
std::optional<std::string> time_value(int64_t micros_since_epoch);

}  // namespace tend::alerts
