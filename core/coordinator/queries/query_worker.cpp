#include "core/coordinator/queries/query_worker.h"

#include <fmt/format.h>

#include <cstdint>

#include "schemas/task.pb.h"

namespace tend {
namespace {

constexpr const char* kStopping =
    "the coordinator is stopping: ask again (another coordinator answers if one runs)";

// Queries only read, and none may hold the thread for long.
store::DatabaseOptions database_options(const QueryWorkerOptions& options) {
  const auto session =
      fmt::format("SET default_transaction_read_only = on; SET statement_timeout = '{}s'",
                  options.statement_timeout.count());
  return {.url = options.url,
          .who = options.name,
          .while_away = "queries are answered with an error until it is back",
          .connect_timeout = options.connect_timeout,
          .prepare = [session](store::PgConnection& conn) { return conn.exec_script(session); }};
}

}  // namespace

QueryWorker::QueryWorker(Connection& nats, QueryWorkerOptions options)
    : replier_(nats, options.name),
      options_(std::move(options)),
      db_(database_options(options_)),
      loop_(*this, "query-worker", options_.name,
            QueueLimits{.max_events = options_.max_queued, .max_bytes = SIZE_MAX}) {
  loop_.start();
}

QueryWorker::~QueryWorker() { stop(); }

void QueryWorker::submit(Message request, QueryPlan plan) {
  const Requester from = Requester::of(request);
  bool stopping = false;
  {
    std::lock_guard lock(mu_);
    stopping = loop_.stopping();
    if (!stopping && loop_.try_push(QueryJob{std::move(request), std::move(plan)}, 0)) return;
  }
  // Publishing does not wait for the server: fine on a delivery thread.
  replier_.refuse(from, stopping ? kStopping
                                 : fmt::format("the coordinator is busy with {} queries: ask "
                                               "again in a moment",
                                               options_.max_queued));
}

void QueryWorker::stop() {
  {
    std::lock_guard lock(mu_);
    if (loop_.stopping()) return;
    loop_.request_stop();
  }
  // A statement may start just after a cancel (and a verification runs one
  // after another): cancel until the thread is done.
  for (;;) {
    db_.cancel();
    std::unique_lock lock(mu_);
    if (done_.wait_for(lock, std::chrono::milliseconds(100), [this] { return finished_; })) break;
  }
  loop_.stop();
}

void QueryWorker::on_event(QueryJob& job) {
  // Queued before the stop: refused, not run.
  if (loop_.stopping()) return replier_.refuse(job.request, kStopping);
  Expected<QueryReply> answered = make_error("no answer");
  try {
    answered = answer(job);
  } catch (const std::exception& e) {
    // One bad request costs one request, never the thread.
    answered = make_error(fmt::format("the coordinator failed to answer: {}", e.what()));
  }
  if (!answered && loop_.stopping()) answered = make_error(kStopping);
  reply(job.request, answered);
}

void QueryWorker::on_stop() {
  db_.close();
  std::lock_guard lock(mu_);
  finished_ = true;
  done_.notify_all();
}

Expected<QueryReply> QueryWorker::answer(const QueryJob& job) {
  auto run = job.plan(job.request);
  if (!run) return run.error();
  auto answered = db_.run<QueryReply>(*run);
  if (answered || db_.connected()) return answered;
  return make_error(fmt::format(
      "the coordinator cannot reach its store ({}): ask again once PostgreSQL is back; the "
      "coordinator reconnects by itself",
      answered.error().message));
}

void QueryWorker::reply(const Message& request, const Expected<QueryReply>& answered) {
  if (!answered) return replier_.refuse(request, answered.error().message);
  replier_.answer(request, **answered);
}

}  // namespace tend
