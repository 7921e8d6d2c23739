#include "core/coordinator/queries/query_service.h"

#include <spdlog/spdlog.h>

#include "bus/subjects.h"
#include "core/coordinator/queries/audit_query.h"
#include "core/coordinator/queries/history_query.h"
#include "core/coordinator/queries/reply_budget.h"
#include "core/coordinator/queries/task_detail_query.h"

namespace tend {
namespace {

template <typename Reply>
Expected<QueryReply> boxed(Expected<Reply> reply) {
  if (!reply) return reply.error();
  return QueryReply(std::make_unique<Reply>(std::move(*reply)));
}

QueryPlan history_plan(Connection& nats) {
  return [&nats](const Message& request) -> Expected<QueryRun> {
    auto query = read_history_request(request.data(), request.encoding());
    if (!query) return query.error();
    ReplyBudget budget(nats.max_payload(), request.encoding());
    return QueryRun([query = *query, budget](store::PgConnection& db) {
      return boxed(run_history(db, query, budget));
    });
  };
}

QueryPlan show_plan(Connection& nats) {
  return [&nats](const Message& request) -> Expected<QueryRun> {
    auto task_id = read_show_request(request.data(), request.encoding());
    if (!task_id) return task_id.error();
    ReplyBudget budget(nats.max_payload(), request.encoding());
    return QueryRun([task_id = *task_id, budget](store::PgConnection& db) {
      return boxed(run_show(db, task_id, budget));
    });
  };
}

QueryPlan audit_tail_plan(Connection& nats) {
  return [&nats](const Message& request) -> Expected<QueryRun> {
    auto query = read_audit_tail_request(request.data(), request.encoding());
    if (!query) return query.error();
    ReplyBudget budget(nats.max_payload(), request.encoding());
    return QueryRun([query = *query, budget](store::PgConnection& db) {
      return boxed(run_audit_tail(db, query, budget));
    });
  };
}

QueryPlan audit_verify_plan() {
  return [](const Message& request) -> Expected<QueryRun> {
    if (auto ok = read_audit_verify_request(request.data(), request.encoding()); !ok) {
      return ok.error();
    }
    return QueryRun([](store::PgConnection& db) { return boxed(run_audit_verify(db)); });
  };
}

}  // namespace

QueryService::QueryService(Connection& nats, const QueryServiceOptions& options)
    : nats_(nats),
      queries_(nats,
               QueryWorkerOptions{
                   .url = options.url, .name = "store queries", .max_queued = options.max_queued}),
      verifier_(nats, QueryWorkerOptions{.url = options.url,
                                         .name = "audit verification",
                                         .max_queued = options.max_queued}) {}

QueryService::~QueryService() { stop(); }

Expected<std::unique_ptr<QueryService>> QueryService::start(Connection& nats,
                                                            const Subjects& subjects,
                                                            QueryServiceOptions options) {
  std::unique_ptr<QueryService> service(new QueryService(nats, options));
  if (auto ok = service->subscribe(subjects.history(), service->queries_, history_plan(nats));
      !ok) {
    return ok.error();
  }
  if (auto ok = service->subscribe(subjects.show(), service->queries_, show_plan(nats)); !ok) {
    return ok.error();
  }
  if (auto ok = service->subscribe(subjects.audit_tail(), service->queries_, audit_tail_plan(nats));
      !ok) {
    return ok.error();
  }
  if (auto ok =
          service->subscribe(subjects.audit_verify(), service->verifier_, audit_verify_plan());
      !ok) {
    return ok.error();
  }
  spdlog::info("answering {}, {}, {} and {} from the store", subjects.history(), subjects.show(),
               subjects.audit_tail(), subjects.audit_verify());
  return service;
}

Expected<void> QueryService::subscribe(const std::string& subject, QueryWorker& worker,
                                       QueryPlan plan) {
  auto sub = nats_.subscribe(
      subject,
      [&worker, plan = std::move(plan)](Message msg) { worker.submit(std::move(msg), plan); },
      kCoordinatorQueueGroup);
  if (!sub) return sub.error();
  subs_.push_back(std::move(*sub));
  return {};
}

void QueryService::stop() {
  // Unsubscribing drains: what was delivered is queued before the workers
  // stop and refuse it. Without a server it could only wait for its
  // timeout; the subscriptions then go with the connection's drain.
  if (nats_.connected()) subs_.clear();
  queries_.stop();
  verifier_.stop();
}

}  // namespace tend
