#include "core/coordinator/alerts/alert_requests.h"

#include <spdlog/spdlog.h>

#include "core/common/request_bounds.h"
#include "schemas/alert.pb.h"
#include "schemas/approval.pb.h"
#include "schemas/decision.pb.h"
#include "schemas/task.pb.h"

namespace tend::alerts {

template <typename Request, typename Handler>
Expected<void> AlertRequests::serve(const std::string& subject, Handler handler) {
  auto sub = conn_.subscribe(
      subject,
      [this, handler](Message msg) {
        Request request;
        // An empty body asks with every default ("nats request tend.pending ''").
        if (!msg.data().empty()) {
          if (auto ok = msg.decode(request); !ok) return replier_.refuse(msg, ok.error().message);
        }
        if (auto ok = check_request(request); !ok) return replier_.refuse(msg, ok.error().message);
        // The pipeline answers, or its queue is full and this says so.
        if (auto ok = handler(msg, std::move(request)); !ok)
          replier_.refuse(msg, ok.error().message);
      },
      kCoordinatorQueueGroup);
  if (!sub) return sub.error();
  subs_.push_back(std::move(*sub));
  return {};
}

Expected<void> AlertRequests::subscribe() {
  if (auto ok = serve<tend::IncidentQuery>(subjects_.incidents(),
                                           [this](const Message& msg, tend::IncidentQuery query) {
                                             return pipeline_.ask_incidents(Requester::of(msg),
                                                                            std::move(query));
                                           });
      !ok) {
    return ok;
  }
  if (auto ok = serve<tend::KbQuery>(subjects_.kb(),
                                     [this](const Message& msg, tend::KbQuery) {
                                       return pipeline_.ask_kb(Requester::of(msg));
                                     });
      !ok) {
    return ok;
  }
  if (auto ok = serve<tend::KbAdjust>(subjects_.kb_adjust(),
                                      [this](const Message& msg, tend::KbAdjust a) {
                                        return pipeline_.adjust_kb(Requester::of(msg),
                                                                   std::move(a));
                                      });
      !ok) {
    return ok;
  }
  if (auto ok = serve<tend::PendingQuery>(subjects_.pending(),
                                          [this](const Message& msg, tend::PendingQuery) {
                                            return pipeline_.ask_pending(Requester::of(msg));
                                          });
      !ok) {
    return ok;
  }
  if (auto ok = serve<tend::BreakerQuery>(subjects_.breakers(),
                                          [this](const Message& msg, tend::BreakerQuery) {
                                            return pipeline_.ask_breakers(Requester::of(msg));
                                          });
      !ok) {
    return ok;
  }
  if (auto ok = serve<tend::BreakerReset>(subjects_.breakers_reset(),
                                          [this](const Message& msg, tend::BreakerReset r) {
                                            return pipeline_.reset_breaker(Requester::of(msg),
                                                                           std::move(r));
                                          });
      !ok) {
    return ok;
  }
  // The task id is the subject's last token: tend.approve.<task_id>.
  for (bool approve : {true, false}) {
    auto ok = serve<tend::ApprovalAnswer>(
        approve ? subjects_.approve_any() : subjects_.deny_any(),
        [this, approve](const Message& msg, tend::ApprovalAnswer answer) -> Expected<void> {
          const std::string task_id(Subjects::last_token(msg.subject()));
          if (auto ok = check_subject_name("task id", task_id); !ok) return ok;
          return pipeline_.answer_approval(Requester::of(msg), task_id, approve, std::move(answer));
        });
    if (!ok) return ok;
  }
  return {};
}

}  // namespace tend::alerts
