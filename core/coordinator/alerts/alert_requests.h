// tendctl's requests about the alert loop, on NATS: tend.incidents (and, in
// later files, approvals, the knowledge base and the breakers). Each handler
// decodes the request and hands it to the pipeline, which answers on the
// reply subject in the request's encoding; a request that does not decode
// is answered here with an ErrorReply.
#pragma once

#include <memory>
#include <vector>

#include "bus/connection.h"
#include "bus/replier.h"
#include "bus/subjects.h"
#include "core/coordinator/alerts/alert_pipeline.h"

namespace tend::alerts {

class AlertRequests {
 public:
  AlertRequests(Connection& conn, Subjects subjects, AlertPipeline& pipeline)
      : conn_(conn),
        replier_(conn, "alerts"),
        subjects_(std::move(subjects)),
        pipeline_(pipeline) {}

  Expected<void> subscribe();

 private:
  template <typename Request, typename Handler>
  Expected<void> serve(const std::string& subject, Handler handler);

  Connection& conn_;
  Replier replier_;
  Subjects subjects_;
  AlertPipeline& pipeline_;
  std::vector<std::unique_ptr<Subscription>> subs_;
};

}  // namespace tend::alerts
