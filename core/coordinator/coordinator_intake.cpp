// What NATS delivery threads do for the coordinator: decode a message,
// check its bounds and push it to the event loop, nothing more.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bus/names.h"
#include "core/common/input_bounds.h"
#include "core/common/request_bounds.h"
#include "core/common/task_bounds.h"
#include "core/common/task_id.h"
#include "core/common/trace_point.h"
#include "core/coordinator/coordinator.h"
#include "core/coordinator/result_message.h"
#include "core/coordinator/submit_request.h"
#include "schemas/progress.pb.h"

namespace tend {

bool Coordinator::enqueue(CoordinatorEvent event, const Message& msg) {
  auto queued = loop_.try_push(std::move(event), msg.data().size());
  if (queued) return true;
  metrics_.refused("event_queue");
  queue_full_.warn(fmt::format("message on {} refused: {}", msg.subject(), queued.error().message));
  replier_.refuse(msg, queued.error().message + ": try again in a moment");
  return false;
}

void Coordinator::on_submit(const Message& msg) {
  trace_point("c.on_submit");
  enqueue(SubmitReceived{Requester::of(msg), read_submit(msg.data(), msg.encoding())}, msg);
}

void Coordinator::on_heartbeat(const Message& msg) {
  tend::Heartbeat hb;
  if (auto ok = msg.decode(hb); !ok) {
    spdlog::warn("heartbeat on {} ignored: {}", msg.subject(), ok.error().message);
    return;
  }
  if (auto ok = check_subject_name("heartbeat host", hb.host()); !ok) {
    bad_input_.warn(fmt::format("heartbeat on {} ignored: {}", msg.subject(), ok.error().message));
    return;
  }
  enqueue(HeartbeatReceived{std::move(hb)}, msg);
}

void Coordinator::on_result(const Message& msg) {
  trace_point("c.on_result");
  auto result = read_result(msg);
  if (!result) {
    bad_input_.warn(fmt::format("result on {} ignored: {}", msg.subject(), result.error().message));
    return;
  }
  enqueue(ResultReceived{std::move(*result)}, msg);
}

void Coordinator::on_progress(const Message& msg) {
  trace_point("c.on_progress");
  tend::Progress progress;
  if (auto ok = msg.decode(progress); !ok) {
    spdlog::debug("progress on {} ignored: {}", msg.subject(), ok.error().message);
    return;
  }
  if (progress.kind() != tend::Progress::ACK) return;  // our own tallies come back here
  std::string task_id = progress.task_id().empty()
                            ? std::string(Subjects::last_token(msg.subject()))
                            : progress.task_id();
  enqueue(AckReceived{std::move(task_id), progress.host()}, msg);
}

void Coordinator::on_task(const Message& msg) {
  tend::Task task;
  if (auto ok = msg.decode(task); !ok) {
    spdlog::debug("task on {} not followed: {}", msg.subject(), ok.error().message);
    return;
  }
  if (!task.dispatched_by().empty()) return;  // a coordinator follows it already
  // Exactly as the agents derive it, so their results land on the same id.
  if (task.id().empty()) task.set_id(derived_task_id(msg.subject(), msg.reply(), msg.data()));
  if (!is_valid_name(task.id())) return;         // the agents refuse it too
  if (auto ok = check_task_bounds(task); !ok) {  // and this: nothing of it is kept
    bad_input_.warn(fmt::format("task on {} not followed: {}", msg.subject(), ok.error().message));
    return;
  }
  enqueue(TaskPublished{std::string(msg.subject()), std::move(task)}, msg);
}

void Coordinator::on_nodes(const Message& msg) { enqueue(NodesRequested{Requester::of(msg)}, msg); }

void Coordinator::on_control(const Message& msg) {
  tend::Control control;
  if (!msg.decode(control)) return;  // the agents refuse it, and say so to the sender
  // Past a bound it is neither audited nor an emergency stop: the agents
  // refuse it too, naming the bound to the sender.
  if (auto ok = check_request(control); !ok) {
    bad_input_.warn(fmt::format("control on {} ignored: {}", msg.subject(), ok.error().message));
    return;
  }
  enqueue(ControlSeen{std::string(msg.subject()), std::move(control)}, msg);
}

void Coordinator::results_stored(std::vector<tend::Result> results) {
  loop_.push(ResultsStored{std::move(results)});
}

void Coordinator::submit_internal(tend::Task task, TaskOrigin origin,
                                  std::function<void(const tend::Summary&)> done) {
  loop_.push(InternalSubmit{std::move(task), origin, std::move(done)});
}

std::vector<std::string> Coordinator::expected_hosts(const tend::Target& target) {
  constexpr auto timeout = std::chrono::seconds(2);
  auto promise = std::make_shared<std::promise<std::vector<std::string>>>();
  auto future = promise->get_future();
  loop_.push(HostsQuery{target, promise});
  if (future.wait_for(timeout) != std::future_status::ready) return {};
  return future.get();
}

}  // namespace tend
