// What NATS callbacks hand to the coordinator's event loop: already decoded,
// so the loop never touches a raw message and the callbacks never touch state.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "bus/expected.h"
#include "bus/replier.h"
#include "core/coordinator/dispatch/task_origin.h"
#include "schemas/control.pb.h"
#include "schemas/heartbeat.pb.h"
#include "schemas/result.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {

struct SubmitReceived {
  Requester from;
  Expected<tend::Task> task;  // an error when the request was refused
};

struct HeartbeatReceived {
  tend::Heartbeat heartbeat;
};

struct ResultReceived {
  tend::Result result;
};

struct AckReceived {
  std::string task_id;
  std::string host;
};

// A task an operator published straight to a tend.task.* subject.
struct TaskPublished {
  std::string subject;
  tend::Task task;  // id filled in, derived if the publisher gave none
};

struct NodesRequested {
  Requester from;
};

// Results the store committed for the first time (from the JetStream
// stream): after a restart, the ones that arrived while nobody listened.
struct ResultsStored {
  std::vector<tend::Result> results;
};

// A control message operators sent to agents, for the audit trail.
struct ControlSeen {
  std::string subject;
  tend::Control control;
};

// A task the coordinator starts itself (an alert's fix, a maintenance
// batch); `done` runs on the event loop with its Summary.
struct InternalSubmit {
  tend::Task task;
  TaskOrigin origin;
  std::function<void(const tend::Summary&)> done;
};

// Which nodes a target means right now, for decisions made before a
// dispatch (blast radius, batches).
struct HostsQuery {
  tend::Target target;
  std::shared_ptr<std::promise<std::vector<std::string>>> answer;
};

using CoordinatorEvent =
    std::variant<SubmitReceived, HeartbeatReceived, ResultReceived, AckReceived, TaskPublished,
                 NodesRequested, ResultsStored, ControlSeen, InternalSubmit, HostsQuery>;

}  // namespace tend
