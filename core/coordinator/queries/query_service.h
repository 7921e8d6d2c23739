// What the store remembers, for operators: answers tend.history, tend.show,
// tend.audit.tail and tend.audit.verify (schemas/query.proto) from
// PostgreSQL. Runs beside the Coordinator, not in its event loop: its own
// subscriptions, in the coordinators' queue group so that one of them
// answers, and its own threads and connections (query_worker.h). Walking
// the whole audit chain can take minutes on a large trail, so verification
// has a worker of its own and never holds up history.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/coordinator/queries/query_worker.h"

namespace tend {

struct QueryServiceOptions {
  std::string url;  // [database] url
  size_t max_queued = 64;
};

class QueryService {
 public:
  static Expected<std::unique_ptr<QueryService>> start(Connection& nats, const Subjects& subjects,
                                                       QueryServiceOptions options);
  ~QueryService();  // stop()
  QueryService(const QueryService&) = delete;
  QueryService& operator=(const QueryService&) = delete;

  // Stops taking requests (another coordinator in the group gets them) and
  // refuses those still queued.
  void stop();

 private:
  QueryService(Connection& nats, const QueryServiceOptions& options);
  Expected<void> subscribe(const std::string& subject, QueryWorker& worker, QueryPlan plan);

  Connection& nats_;
  QueryWorker queries_;   // history, show, audit tail
  QueryWorker verifier_;  // audit verify
  // Declared last, destroyed first: no callback runs once the workers go.
  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace tend
