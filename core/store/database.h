// A PostgreSQL connection that comes back by itself, for a thread that owns
// it alone. When the server goes away the thread waits for it (with back-off,
// saying so in the log) rather than going on without its store: the alert
// loop does not decide without its knowledge base, approvals and breakers;
// what it was asked to handle queues up meanwhile and is handled once the
// server is back.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "bus/expected.h"
#include "core/store/pg_connection.h"

namespace tend::store {

class Database {
 public:
  // `who` names the owner in the log ("alerts"); `stopping` ends the wait
  // for a lost server.
  Database(std::string url, std::string who, const std::atomic<bool>& stopping)
      : url_(std::move(url)), who_(std::move(who)), stopping_(stopping) {}

  // Runs `op` on a live connection. When the connection was lost, it
  // reconnects (waiting as long as it takes, unless stopping) and runs `op`
  // again; an SQL error comes back as an error.
  template <typename T>
  Expected<T> run(const std::function<Expected<T>(PgConnection&)>& op) {
    for (;;) {
      if (!connected()) return make_error(who_ + " is stopping");
      auto result = op(*conn_);
      if (result || conn_->ok()) return result;
      conn_.reset();
    }
  }

  // Convenience for one statement.
  Expected<PgRows> query(std::string_view sql, const PgParams& params = {});
  Expected<void> exec(std::string_view sql, const PgParams& params = {});

 private:
  // False only when stopping before a connection could be made.
  bool connected();

  std::string url_;
  std::string who_;
  const std::atomic<bool>& stopping_;
  std::unique_ptr<PgConnection> conn_;
};

}  // namespace tend::store
