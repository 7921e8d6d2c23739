// The one PostgreSQL connection type every long-lived holder uses (the alert
// loop, the store writer, the query workers, the scheduler, the daily digest,
// the coordinator's start-up): a connection that comes back by itself, for a
// thread that owns it alone. Each holder says what it does while the server
// is away:
//  - it waits (the alert loop does not decide without its knowledge base,
//    approvals and breakers; start-up does not go on without a schema):
//    a statement waits for the server, pausing between tries, until the
//    holder stops;
//  - or it must not stall (the writer keeps its batch, a query is answered
//    with an error, a window does not fire): a statement fails at once, and
//    the next one tries again when the back-off allows.
// Either way one back-off policy (backoff.h) paces the tries, the log says
// when the server went away (again every half minute) and when it is back,
// and a connection a restart broke under a statement is replaced at once.
// One-shot users (tendctl) keep a plain PgConnection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bus/expected.h"
#include "core/store/backoff.h"
#include "core/store/pg_connection.h"

namespace tend::store {

// How a waiting holder passes the time between tries: sleeps at most
// `delay`, then says whether to go on (false: the holder is stopping).
using Pause = std::function<bool(std::chrono::milliseconds delay)>;

// Sleeps in short slices, so a stop is not kept waiting; false once `stopping`.
Pause pause_unless(const std::atomic<bool>& stopping);

struct DatabaseOptions {
  std::string url{};         // [database] url
  std::string who{};         // names the holder in the log: "alerts"
  std::string while_away{};  // what the log adds on what happens meanwhile
  std::chrono::seconds connect_timeout{5};
  // Run on each new connection before it is used (a read-only session,
  // staging tables); a failure counts as a failed connect.
  std::function<Expected<void>(PgConnection&)> prepare{};
  // Set: a statement waits for a server that is away. Unset: it fails at once.
  Pause wait{};
};

class Database {
 public:
  explicit Database(DatabaseOptions options) : options_(std::move(options)) {}
  // A holder that waits for the server until `stopping`.
  Database(std::string url, std::string who, const std::atomic<bool>& stopping);
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The live connection: the one there is, or a new one (waited for, or
  // tried once if the back-off allows). The pointer is good until the next
  // call on this object.
  Expected<PgConnection*> connection();

  // Runs `op` on a live connection. When a lost connection made `op` fail,
  // it runs `op` again on a new one (a waiting holder until it succeeds or
  // stops, any other once). An SQL error comes back as an error.
  template <typename T>
  Expected<T> run(const std::function<Expected<T>(PgConnection&)>& op) {
    for (int tries = 1;; ++tries) {
      auto conn = connection();
      if (!conn) return conn.error();
      auto result = op(**conn);
      if (result || !lost(result.error())) return result;
      if (!options_.wait && tries > 1) return result;
    }
  }

  // Convenience for one statement.
  Expected<PgRows> query(std::string_view sql, const PgParams& params = {});
  Expected<void> exec(std::string_view sql, const PgParams& params = {});

  // Whether the last try left a live connection; from any thread.
  bool connected() const { return connected_.load(); }
  // How long until a statement tries the server again (0: at once), for a
  // holder that must not stall and waits on its own terms.
  std::chrono::milliseconds next_try_in() const;
  // Stops the statement the connection runs, from any thread.
  void cancel();
  // Lets the connection go now (a stopping holder's thread).
  void close();

 private:
  using Clock = std::chrono::steady_clock;

  Expected<PgConnection*> try_connect();
  Expected<std::unique_ptr<PgConnection>> open();
  void failed(const std::string& why);
  void came_back();
  // True when the connection went away under a statement: it is dropped.
  bool lost(const Error& why);

  DatabaseOptions options_;
  std::unique_ptr<PgConnection> conn_;
  std::atomic<bool> connected_{false};
  Backoff backoff_;
  Clock::time_point next_try_{};
  std::string last_failure_;
  Clock::time_point away_since_{};     // set while the server is away
  Clock::time_point complained_at_{};  // when the log last said so

  std::mutex cancel_mu_;  // cancel() comes from another thread
  std::optional<PgCanceller> canceller_;
};

}  // namespace tend::store
