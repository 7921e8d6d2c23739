// One thread that answers store queries in turn, on a PostgreSQL connection
// of its own. NATS callbacks only queue a request here (a full queue is
// refused at once); the thread checks it, runs its SQL and replies in the
// request's encoding, with an ErrorReply when it cannot be served.
//
// The connection (a store::Database that must not stall) is read-only, with
// a statement timeout. When PostgreSQL goes away, a query gets an error that
// says so, a later one connects afresh (as the back-off allows), and a query
// that finds its connection broken by a restart is run once more on a new one.
#pragma once

#include <google/protobuf/message.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "bus/connection.h"
#include "bus/message.h"
#include "bus/replier.h"
#include "core/common/actor.h"
#include "core/store/database.h"
#include "core/store/pg_connection.h"

namespace tend {

using QueryReply = std::unique_ptr<google::protobuf::Message>;
// Runs a checked request against the store.
using QueryRun = std::function<Expected<QueryReply>(store::PgConnection&)>;
// Checks a request, without the store, and says how to answer it.
using QueryPlan = std::function<Expected<QueryRun>(const Message& request)>;

struct QueryWorkerOptions {
  std::string url;   // [database] url
  std::string name;  // for the log: "store queries"
  size_t max_queued = 64;
  std::chrono::seconds connect_timeout{3};
  std::chrono::seconds statement_timeout{60};
};

// A request waiting for the worker's thread.
struct QueryJob {
  Message request;
  QueryPlan plan;
};

class QueryWorker final : private Actor<QueryJob>::Owner {
 public:
  QueryWorker(Connection& nats, QueryWorkerOptions options);
  ~QueryWorker() override;  // stop()
  QueryWorker(const QueryWorker&) = delete;
  QueryWorker& operator=(const QueryWorker&) = delete;

  // From a NATS delivery thread: queues the request and returns.
  void submit(Message request, QueryPlan plan);

  // Refuses what is still queued, cancels the statement running and joins.
  void stop();

 private:
  // The thread (Actor::Owner): one request at a time.
  void on_event(QueryJob& job) override;
  void on_stop() override;
  Expected<QueryReply> answer(const QueryJob& job);
  void reply(const Message& request, const Expected<QueryReply>& answer);

  Replier replier_;
  QueryWorkerOptions options_;

  // Held while a request is queued and while the stop is: no request is
  // queued behind the stop, where nothing would answer it.
  std::mutex mu_;
  std::condition_variable done_;
  bool finished_ = false;  // the thread is done

  store::Database db_;  // the worker thread's alone (stop() may cancel)

  Actor<QueryJob> loop_;
};

}  // namespace tend
